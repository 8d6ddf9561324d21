namespace Pipelines.Cli.Producers;

/// <summary>
/// The event vocabulary of a language-learning app (the seed's domain): event names as "type:subtype", where some
/// subtypes contain ':' themselves, and the extra fields each type carries.
/// </summary>
internal static class EventsCatalog
{
    /// <summary>Event names with a relative weight (page views dominate, refunds are rare).</summary>
    public static readonly (string Name, int Weight)[] Names =
    [
        ("page:view", 30),
        ("lesson:started", 18),
        ("lesson:completed", 14),
        ("lesson:review:scheduled", 6),
        ("account:created", 5),
        ("account:login:succeeded", 10),
        ("account:login:failed", 2),
        ("subscription:renewed", 4),
        ("subscription:cancelled", 1),
        ("payment:order:completed", 4),
        ("payment:refund:requested", 1),
        ("notification:push:opened", 5),
    ];

    public static readonly string[] Platforms = ["ios", "android", "web"];

    public static readonly string[] AppVersions = ["24.3.1", "24.4.0", "24.5.2", "24.6.0"];

    public static readonly string[] Languages = ["es", "fr", "de", "it", "pt", "en", "sv", "tr", "pl", "nl"];

    public static readonly string[] Countries = ["DE", "US", "FR", "ES", "IT", "BR", "GB", "MX", "PL", "SE"];

    public static readonly string[] Pages = ["/home", "/courses", "/courses/spanish", "/lesson/overview", "/review", "/pricing", "/account/settings"];

    public static readonly string[] Currencies = ["EUR", "USD", "GBP", "BRL"];

    public static readonly string[] Plans = ["monthly", "quarterly", "annual", "lifetime"];

    public static readonly string[] LoginMethods = ["password", "apple", "google", "facebook"];
}
