namespace Pipelines.Shared.Observability;

/// <summary>One extra member of a log line: <c>new LogField("count", 5)</c>. A struct so logging allocates nothing extra.</summary>
public readonly struct LogField
{
    internal enum FieldKind : byte { String, Long, Double, Bool }

    public string Name { get; }
    internal FieldKind Kind { get; }
    internal string? StringValue { get; }
    internal long LongValue { get; }
    internal double DoubleValue { get; }

    public LogField(string name, string? value)
    {
        Name = name;
        Kind = FieldKind.String;
        StringValue = value;
    }

    public LogField(string name, long value)
    {
        Name = name;
        Kind = FieldKind.Long;
        LongValue = value;
    }

    public LogField(string name, double value)
    {
        Name = name;
        Kind = FieldKind.Double;
        DoubleValue = value;
    }

    public LogField(string name, bool value)
    {
        Name = name;
        Kind = FieldKind.Bool;
        LongValue = value ? 1 : 0;
    }

    public override string ToString() => Kind switch
    {
        FieldKind.String => $"{Name}={StringValue}",
        FieldKind.Long => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name}={LongValue}"),
        FieldKind.Double => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name}={DoubleValue}"),
        _ => $"{Name}={(LongValue != 0 ? "true" : "false")}",
    };
}
