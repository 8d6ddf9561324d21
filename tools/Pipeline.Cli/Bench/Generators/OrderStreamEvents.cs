using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.Cli.Bench.Generators;

/// <summary>
/// DynamoDB stream events of <c>OrdersRawTable</c> (NEW_AND_OLD_IMAGES) in AWS's documented wire shape: orders
/// inserted (75%), modified (20%, old and new image) and removed (5%, a fifth of them by TTL), items shaped like the
/// orders producer's (nested customer map, tag set, exact decimal prices, TTL attribute).
/// </summary>
internal sealed class OrderStreamEvents(string tableName)
{
    private readonly string _streamArn = string.Create(CultureInfo.InvariantCulture,
        $"arn:aws:dynamodb:{LocalCredentials.Region}:{LocalCredentials.AccountId}:table/{tableName}/stream/2024-05-01T00:00:00.000");
    private long _sequence = 100000000000000000;
    private readonly List<JsonObject> _live = [];

    public byte[] Build(Random random, int count)
    {
        var records = new JsonArray();
        for (var i = 0; i < count; i++) records.Add(NextRecord(random));
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["Records"] = records });
    }

    private JsonObject NextRecord(Random random)
    {
        var roll = random.Next(100);
        string eventName;
        JsonObject? newImage = null, oldImage = null;
        JsonObject? identity = null;
        if (roll < 75 || _live.Count < 10)
        {
            eventName = "INSERT";
            newImage = NewOrder(random);
            _live.Add(newImage);
        }
        else if (roll < 95)
        {
            eventName = "MODIFY";
            var at = random.Next(_live.Count);
            oldImage = _live[at];
            newImage = (JsonObject)oldImage.DeepClone();
            newImage["status"] = new JsonObject { ["S"] = random.Next(2) == 0 ? "SHIPPED" : "DELIVERED" };
            newImage["quantity"] = new JsonObject { ["N"] = (random.Next(1, 6)).ToString(CultureInfo.InvariantCulture) };
            _live[at] = newImage;
        }
        else
        {
            eventName = "REMOVE";
            var at = random.Next(_live.Count);
            oldImage = _live[at];
            _live.RemoveAt(at);
            if (random.Next(5) == 0) identity = new JsonObject { ["type"] = "Service", ["principalId"] = "dynamodb.amazonaws.com" };
        }
        var image = newImage ?? oldImage!;
        var dynamodb = new JsonObject
        {
            ["ApproximateCreationDateTime"] = 1714564800 + _sequence % 86_400,
            ["Keys"] = new JsonObject { ["orderid"] = image["orderid"]!.DeepClone() },
        };
        if (newImage is not null) dynamodb["NewImage"] = newImage.DeepClone();
        if (oldImage is not null) dynamodb["OldImage"] = oldImage.DeepClone();
        dynamodb["SequenceNumber"] = (_sequence++).ToString(CultureInfo.InvariantCulture) + "0000";
        dynamodb["SizeBytes"] = 300 + random.Next(200);
        dynamodb["StreamViewType"] = "NEW_AND_OLD_IMAGES";
        var record = new JsonObject
        {
            ["eventID"] = Convert.ToHexStringLower(BitConverter.GetBytes(_sequence * 2654435761L)) + "0f3c",
            ["eventName"] = eventName,
            ["eventVersion"] = "1.1",
            ["eventSource"] = "aws:dynamodb",
            ["awsRegion"] = LocalCredentials.Region,
            ["dynamodb"] = dynamodb,
            ["eventSourceARN"] = _streamArn,
        };
        if (identity is not null) record["userIdentity"] = identity;
        return record;
    }

    private static JsonObject NewOrder(Random random)
    {
        var product = OrdersCatalog.Products[random.Next(OrdersCatalog.Products.Length)];
        var cents = random.NextInt64((long)(product.MinPrice * 100), (long)(product.MaxPrice * 100) + 1);
        var created = new DateTimeOffset(2024, 5, 1, 11, 0, 0, TimeSpan.Zero).AddSeconds(random.Next(3600));
        var tags = new JsonArray();
        foreach (var tag in OrdersCatalog.Tags.Where(_ => random.Next(4) == 0).DefaultIfEmpty(OrdersCatalog.Tags[0])) tags.Add(tag);
        return new JsonObject
        {
            ["orderid"] = S(EventsProducer.RandomUuid(random)),
            ["product_name"] = S(product.Name),
            ["category"] = S(product.Category),
            ["quantity"] = N((random.Next(100) < 75 ? 1 : random.Next(2, 6)).ToString(CultureInfo.InvariantCulture)),
            ["price"] = N((cents / 100m).ToString("0.00", CultureInfo.InvariantCulture)),
            ["creation_datetime"] = S(created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
            ["status"] = S("PLACED"),
            ["customer"] = new JsonObject
            {
                ["M"] = new JsonObject
                {
                    ["customer_id"] = S($"C-{random.Next(1000, 99999)}"),
                    ["name"] = S($"{OrdersCatalog.FirstNames[random.Next(OrdersCatalog.FirstNames.Length)]} {OrdersCatalog.LastNames[random.Next(OrdersCatalog.LastNames.Length)]}"),
                    ["country"] = S(OrdersCatalog.Countries[random.Next(OrdersCatalog.Countries.Length)]),
                    ["loyalty_tier"] = S(OrdersCatalog.LoyaltyTiers[random.Next(OrdersCatalog.LoyaltyTiers.Length)]),
                },
            },
            ["tags"] = new JsonObject { ["SS"] = tags },
            ["expires_at"] = N("1722340800"),
        };

        static JsonObject S(string value) => new() { ["S"] = value };
        static JsonObject N(string value) => new() { ["N"] = value };
    }
}
