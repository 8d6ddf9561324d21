namespace Pipelines.Reviews.Domain;

internal enum ItemValueKind { String, Number, Boolean, Null, List, Map }

/// <summary>
/// A DynamoDB attribute value as a plain tree, without the AWS types: the readable form of a stored item
/// (<see cref="ReviewItem.Attributes"/> reads an item's JSON back into it) and of DynamoDB's size arithmetic
/// (<see cref="DynamoDbItemRules.ValueSize"/>). The write path never builds it. Maps keep the source order.
/// </summary>
internal sealed class ItemValue
{
    public static readonly ItemValue NullValue = new(ItemValueKind.Null);
    public static readonly ItemValue True = new(ItemValueKind.Boolean) { Bool = true };
    public static readonly ItemValue False = new(ItemValueKind.Boolean) { Bool = false };

    private ItemValue(ItemValueKind kind) => Kind = kind;

    public ItemValueKind Kind { get; }

    /// <summary>The text of a String, or the JSON number text of a Number.</summary>
    public string? Text { get; private init; }

    public bool Bool { get; private init; }

    public IReadOnlyList<ItemValue>? Items { get; private init; }

    public IReadOnlyList<KeyValuePair<string, ItemValue>>? Entries { get; private init; }

    public static ItemValue String(string text) => new(ItemValueKind.String) { Text = text };

    public static ItemValue Number(string text) => new(ItemValueKind.Number) { Text = text };

    public static ItemValue Boolean(bool value) => value ? True : False;

    public static ItemValue List(IReadOnlyList<ItemValue> items) => new(ItemValueKind.List) { Items = items };

    public static ItemValue Map(IReadOnlyList<KeyValuePair<string, ItemValue>> entries) => new(ItemValueKind.Map) { Entries = entries };
}
