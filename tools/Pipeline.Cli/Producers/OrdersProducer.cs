using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Producers;

/// <summary>What <c>produce orders</c> does: how many orders, how many of them change, how fast.</summary>
public sealed record OrdersProduceOptions
{
    public int Count { get; init; } = 100;

    /// <summary>Fraction of the inserted orders that are then updated (quantity/status).</summary>
    public double UpdateRatio { get; init; } = 0.2;

    /// <summary>Fraction of the inserted orders that are then deleted (after the updates).</summary>
    public double DeleteRatio { get; init; } = 0.05;

    /// <summary>Table writes per second across all phases; null writes as fast as the table answers.</summary>
    public double? Rate { get; init; }

    public string TableName { get; init; } = "OrdersRawTable";

    /// <summary>Makes ids, products and choices reproducible.</summary>
    public int? Seed { get; init; }

    /// <summary>Writes in flight at once (per-order writes are always sequential: insert, update, delete).</summary>
    public int Concurrency { get; init; } = 8;
}

/// <summary>An order as the table should hold it once the producer is done.</summary>
public sealed record ExpectedOrder(string OrderId, string ProductName, int Quantity, decimal Price, string CreationDateTime, string Status);

/// <summary>What was written, in order, and the table state it should leave behind.</summary>
public sealed record OrdersProduced(
    string TableName,
    IReadOnlyList<string> Inserted,
    IReadOnlyList<string> Updated,
    IReadOnlyList<string> Deleted,
    IReadOnlyDictionary<string, ExpectedOrder> FinalState,
    TimeSpan Elapsed)
{
    /// <summary>Table writes made, which is also how many stream records (INSERT + MODIFY + REMOVE) they cause.</summary>
    public int Writes => Inserted.Count + Updated.Count + Deleted.Count;
}

/// <summary>Progress of one phase: <paramref name="Phase"/> is "insert", "update" or "delete".</summary>
public sealed record OrdersProgress(string Phase, int Done, int Total);

/// <summary>
/// Writes realistic orders into the orders table (OrdersRawTable: orderid S, product_name, quantity, price,
/// creation_datetime plus a customer map, a tag set and the TTL attribute), then updates and deletes some of them,
/// so the table's stream carries INSERT, MODIFY and REMOVE records.
/// </summary>
public sealed class OrdersProducer(IAmazonDynamoDB dynamoDb)
{
    private static readonly string[] UpdateStatuses = ["CONFIRMED", "SHIPPED", "DELIVERED"];

    public async Task<OrdersProduced> RunAsync(OrdersProduceOptions options, IProgress<OrdersProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        if (options.UpdateRatio is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "UpdateRatio must be within 0..1");
        if (options.DeleteRatio is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "DeleteRatio must be within 0..1");
        if (options.Rate is <= 0) throw new ArgumentOutOfRangeException(nameof(options), "Rate must be positive");

        var random = options.Seed is { } seed ? new Random(seed) : new Random();
        var now = DateTimeOffset.UtcNow;
        var orders = Enumerable.Range(0, options.Count).Select(i => NewOrder(random, now, i)).ToList();
        var updateCount = (int)Math.Round(options.Count * options.UpdateRatio, MidpointRounding.AwayFromZero);
        var deleteCount = (int)Math.Round(options.Count * options.DeleteRatio, MidpointRounding.AwayFromZero);
        var toUpdate = Sample(random, orders, updateCount);
        var toDelete = Sample(random, orders, deleteCount);
        var updates = toUpdate.Select(o => Updated(random, o.Expected)).ToList();

        var pacer = new Pacer(options.Rate);
        var stopwatch = Stopwatch.StartNew();
        var state = orders.ToDictionary(o => o.Expected.OrderId, o => o.Expected, StringComparer.Ordinal);

        await RunPhaseAsync("insert", orders, (o, ct) => dynamoDb.PutItemAsync(new PutItemRequest
        {
            TableName = options.TableName,
            Item = o.Item,
        }, ct), options, pacer, progress, cancellationToken);

        await RunPhaseAsync("update", updates, (u, ct) => dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = options.TableName,
            Key = new Dictionary<string, AttributeValue> { ["orderid"] = new() { S = u.OrderId } },
            UpdateExpression = "SET quantity = :q, #s = :s, updated_at = :u",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#s"] = "status" },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":q"] = new() { N = u.Quantity.ToString(CultureInfo.InvariantCulture) },
                [":s"] = new() { S = u.Status },
                [":u"] = new() { S = IsoUtc(now.AddMinutes(random.Next(1, 120))) },
            },
        }, ct), options, pacer, progress, cancellationToken);
        foreach (var u in updates) state[u.OrderId] = u;

        await RunPhaseAsync("delete", toDelete, (o, ct) => dynamoDb.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = options.TableName,
            Key = new Dictionary<string, AttributeValue> { ["orderid"] = new() { S = o.Expected.OrderId } },
        }, ct), options, pacer, progress, cancellationToken);
        foreach (var o in toDelete) state.Remove(o.Expected.OrderId);

        return new OrdersProduced(
            options.TableName,
            orders.Select(o => o.Expected.OrderId).ToList(),
            updates.Select(u => u.OrderId).ToList(),
            toDelete.Select(o => o.Expected.OrderId).ToList(),
            state,
            stopwatch.Elapsed);
    }

    private static async Task RunPhaseAsync<T>(
        string phase, IReadOnlyList<T> items, Func<T, CancellationToken, Task> write,
        OrdersProduceOptions options, Pacer pacer, IProgress<OrdersProgress>? progress, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return;
        var done = 0;
        progress?.Report(new OrdersProgress(phase, 0, items.Count));
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                await pacer.WaitTurnAsync(ct);
                await write(item, ct);
                progress?.Report(new OrdersProgress(phase, Interlocked.Increment(ref done), items.Count));
            });
    }

    private sealed record NewItem(ExpectedOrder Expected, Dictionary<string, AttributeValue> Item);

    private static NewItem NewOrder(Random random, DateTimeOffset now, int index)
    {
        var product = OrdersCatalog.Products[random.Next(OrdersCatalog.Products.Length)];
        var cents = random.NextInt64((long)(product.MinPrice * 100), (long)(product.MaxPrice * 100) + 1);
        var price = cents / 100m;
        var quantity = random.Next(100) < 75 ? 1 : random.Next(2, 6);
        // Orders placed over the last few minutes, oldest first, so creation times follow insertion order roughly.
        var created = IsoUtc(now.AddSeconds(-300 + index * 0.01 + random.NextDouble()));
        var orderId = RandomUuid(random);
        var customerId = $"C-{random.Next(1000, 99999)}";
        var tags = Enumerable.Range(0, random.Next(1, 3)).Select(_ => OrdersCatalog.Tags[random.Next(OrdersCatalog.Tags.Length)]).Distinct().ToList();

        var item = new Dictionary<string, AttributeValue>
        {
            ["orderid"] = new() { S = orderId },
            ["product_name"] = new() { S = product.Name },
            ["category"] = new() { S = product.Category },
            ["quantity"] = new() { N = quantity.ToString(CultureInfo.InvariantCulture) },
            ["price"] = new() { N = price.ToString("0.00", CultureInfo.InvariantCulture) },
            ["creation_datetime"] = new() { S = created },
            ["status"] = new() { S = "PLACED" },
            ["customer"] = new()
            {
                M = new Dictionary<string, AttributeValue>
                {
                    ["customer_id"] = new() { S = customerId },
                    ["name"] = new() { S = $"{OrdersCatalog.FirstNames[random.Next(OrdersCatalog.FirstNames.Length)]} {OrdersCatalog.LastNames[random.Next(OrdersCatalog.LastNames.Length)]}" },
                    ["country"] = new() { S = OrdersCatalog.Countries[random.Next(OrdersCatalog.Countries.Length)] },
                    ["loyalty_tier"] = new() { S = OrdersCatalog.LoyaltyTiers[random.Next(OrdersCatalog.LoyaltyTiers.Length)] },
                },
            },
            ["tags"] = new() { SS = tags },
            // The table's TTL attribute, far enough ahead that nothing generated here expires during a run.
            ["expires_at"] = new() { N = now.AddDays(90).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
        };
        return new NewItem(new ExpectedOrder(orderId, product.Name, quantity, price, created, "PLACED"), item);
    }

    private static ExpectedOrder Updated(Random random, ExpectedOrder order) =>
        order with { Quantity = order.Quantity + random.Next(1, 3), Status = UpdateStatuses[random.Next(UpdateStatuses.Length)] };

    private static List<T> Sample<T>(Random random, IReadOnlyList<T> items, int count)
    {
        var indices = Enumerable.Range(0, items.Count).ToArray();
        random.Shuffle(indices);
        return indices.Take(Math.Min(count, items.Count)).Order().Select(i => items[i]).ToList();
    }

    /// <summary>A version-4 UUID from <paramref name="random"/> (reproducible with a seed).</summary>
    private static string RandomUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's little-endian layout puts it in byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }

    private static string IsoUtc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Spaces writes evenly at the requested rate (shared by all concurrent writers).</summary>
    private sealed class Pacer(double? rate)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _issued;

        public Task WaitTurnAsync(CancellationToken cancellationToken)
        {
            if (rate is not { } perSecond) return Task.CompletedTask;
            var slot = TimeSpan.FromSeconds((Interlocked.Increment(ref _issued) - 1) / perSecond);
            var wait = slot - _clock.Elapsed;
            return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
        }
    }
}
