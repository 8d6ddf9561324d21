namespace Pipelines.Cli.Producers;

/// <summary>Vocabulary for realistic product reviews: marketplaces, products per category, and review phrasing by rating.</summary>
internal static class ReviewsCatalog
{
    /// <summary>Amazon marketplace ids (US, UK, DE, JP, CA, FR), US weighted heaviest as in real traffic.</summary>
    public static readonly string[] Marketplaces =
    [
        "ATVPDKIKX0DER", "ATVPDKIKX0DER", "ATVPDKIKX0DER", "ATVPDKIKX0DER",
        "A1F83G8C2ARO7P", "A1PA6795UKMFR9", "A1VC38T7YXB528", "A2EUQ1WTGCTBG2", "A13V1IB3VIYZZH",
    ];

    public static readonly (string Category, string[] Products)[] Products =
    [
        ("Kitchen", ["electric kettle", "chef's knife", "cast iron skillet", "coffee grinder", "stand mixer", "rice cooker"]),
        ("Books", ["hardcover novel", "paperback cookbook", "field guide to birds", "children's picture book", "history of the railways"]),
        ("Electronics", ["noise-cancelling headphones", "USB-C charger", "e-reader", "bluetooth speaker", "wireless mouse", "4K monitor"]),
        ("Sports & Outdoors", ["fly fishing rod", "hiking backpack", "camping stove", "yoga mat", "insulated water bottle"]),
        ("Toys & Games", ["wooden train set", "1000-piece puzzle", "strategy board game", "building blocks"]),
        ("Beauty", ["vitamin C serum", "electric toothbrush", "hair dryer", "unscented moisturiser"]),
        ("Home Improvement", ["cordless drill", "LED bulb 4-pack", "stud finder", "smart thermostat"]),
        ("Pet Supplies", ["orthopedic dog bed", "cat scratching post", "automatic feeder"]),
    ];

    /// <summary>Star ratings weighted like real review data: mostly 5s, a bump at 1.</summary>
    public static readonly int[] RatingWeights = [0, 9, 5, 8, 18, 60];

    public static readonly string[][] TitlesByRating =
    [
        [],
        ["Stopped working after a week", "Do not buy", "Not as described", "Returned it"],
        ["Disappointing", "Expected better for the price", "Cheap feel"],
        ["It's okay", "Does the job, nothing more", "Mixed feelings"],
        ["Very good", "Solid purchase", "Nearly perfect", "Happy with it"],
        ["Excellent!", "Best purchase this year", "Exactly what I needed", "Five stars", "Love it"],
    ];

    public static readonly string[][] OpeningsByRating =
    [
        [],
        ["The {0} broke within days.", "My {0} arrived damaged and support was no help.", "This {0} is nothing like the photos."],
        ["The {0} works, but barely.", "I wanted to like this {0}.", "For what it costs, the {0} feels flimsy."],
        ["The {0} is fine for occasional use.", "Average {0}; some good points, some bad.", "The {0} does what it says, no more."],
        ["Really pleased with this {0}.", "The {0} has been great so far.", "Good {0}, one small gripe."],
        ["This {0} is fantastic.", "I use the {0} every day and it is perfect.", "Best {0} I have owned, hands down."],
    ];

    public static readonly string[] Details =
    [
        "Shipping was quick and the packaging was sensible.",
        "Setup took about ten minutes.",
        "The instructions could be clearer.",
        "It is a little heavier than I expected.",
        "Battery life is better than advertised.",
        "My partner uses it too, with no complaints.",
        "I compared it with two other brands before choosing this one.",
        "Customer service answered within a day.",
        "The colour is slightly darker than in the listing.",
        "After three months it still looks new.",
        "Worth every penny.",
        "I would buy it again.",
    ];
}
