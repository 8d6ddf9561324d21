namespace Pipelines.Cli.Producers;

/// <summary>A small, realistic product catalog and customer pool for generated orders.</summary>
internal static class OrdersCatalog
{
    public sealed record Product(string Name, string Category, decimal MinPrice, decimal MaxPrice);

    public static readonly Product[] Products =
    [
        new("Kindle Paperwhite (16 GB)", "electronics", 129.99m, 159.99m),
        new("Echo Dot (5th Gen)", "electronics", 29.99m, 49.99m),
        new("Fire TV Stick 4K", "electronics", 34.99m, 49.99m),
        new("Apple AirPods Pro (2nd Gen)", "electronics", 189.00m, 249.00m),
        new("Anker 737 Power Bank 24000mAh", "electronics", 89.99m, 109.99m),
        new("Logitech MX Master 3S Mouse", "computers", 79.99m, 99.99m),
        new("SanDisk 1TB Extreme Portable SSD", "computers", 89.99m, 129.99m),
        new("Instant Pot Duo 7-in-1, 6 Quart", "kitchen", 79.95m, 99.95m),
        new("Ninja AF101 Air Fryer", "kitchen", 89.99m, 119.99m),
        new("Hydro Flask 32 oz Wide Mouth", "kitchen", 39.95m, 44.95m),
        new("Stanley Quencher H2.0 40 oz", "kitchen", 35.00m, 45.00m),
        new("LEGO Classic Large Creative Brick Box", "toys", 44.99m, 59.99m),
        new("Crayola Ultimate Crayon Collection", "toys", 19.99m, 24.99m),
        new("Atomic Habits (Hardcover)", "books", 11.98m, 16.99m),
        new("The Psychology of Money (Paperback)", "books", 9.99m, 14.99m),
        new("Levi's Men's 505 Regular Fit Jeans", "apparel", 39.99m, 69.50m),
        new("Hanes Men's EcoSmart Hoodie", "apparel", 14.00m, 22.00m),
        new("Adidas Ultraboost Light Running Shoes", "shoes", 129.95m, 189.95m),
        new("CeraVe Moisturizing Cream 19 oz", "beauty", 16.08m, 19.99m),
        new("Oral-B Pro 1000 Electric Toothbrush", "beauty", 39.94m, 49.99m),
        new("Amazon Basics AA Batteries, 48-Pack", "household", 14.49m, 17.99m),
        new("Bounty Select-A-Size Paper Towels, 12 Rolls", "household", 29.99m, 34.99m),
        new("Yeti Rambler 20 oz Tumbler", "outdoors", 30.00m, 38.00m),
        new("Coleman Sundome 4-Person Tent", "outdoors", 89.99m, 119.99m),
        new("Purina Pro Plan Adult Dry Dog Food 35 lb", "pets", 64.98m, 79.98m),
    ];

    public static readonly string[] Countries = ["US", "DE", "GB", "FR", "IN", "JP", "CA", "BR", "ES", "IT"];

    public static readonly string[] FirstNames = ["Olivia", "Liam", "Emma", "Noah", "Aarav", "Sofia", "Yuki", "Lucas", "Mia", "Mateo", "Chloe", "Hannah"];

    public static readonly string[] LastNames = ["Smith", "Müller", "García", "Patel", "Tanaka", "Rossi", "Silva", "Brown", "Dubois", "Nguyen", "O'Connor"];

    public static readonly string[] Tags = ["gift", "prime", "subscribe-and-save", "express", "bulk", "deal-of-the-day"];

    public static readonly string[] LoyaltyTiers = ["standard", "silver", "gold"];
}
