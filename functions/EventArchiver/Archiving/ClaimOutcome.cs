namespace Pipelines.Events.Archiving;

internal enum ClaimVerdict
{
    /// <summary>The claimant holds the uuid: the record is the uuid's first occurrence.</summary>
    Won,

    /// <summary>Another record holds the uuid: the record is a duplicate.</summary>
    Lost,

    /// <summary>Undecided (the store refused or gave up on this claim): the record and the uuid's later ones wait.</summary>
    Failed,

    /// <summary>
    /// A record holds the uuid (maybe the claimant itself: a redelivery) but the store's refusal did not say which;
    /// <see cref="IClaimStore.DecideRefusedAsync"/> reads the holders of a whole round's refusals at once.
    /// </summary>
    Refused,
}

/// <summary>The answer to one <see cref="ClaimAttempt"/>.</summary>
/// <param name="Placement">When won: the object an earlier attempt planned this record into, if any.</param>
/// <param name="Error">When failed: why.</param>
internal readonly record struct ClaimOutcome(ClaimVerdict Verdict, string? Placement, Exception? Error)
{
    public static ClaimOutcome Won(string? placement) => new(ClaimVerdict.Won, placement, null);

    public static ClaimOutcome Lost { get; } = new(ClaimVerdict.Lost, null, null);

    public static ClaimOutcome Refused { get; } = new(ClaimVerdict.Refused, null, null);

    public static ClaimOutcome Failed(Exception error) =>
        new(ClaimVerdict.Failed, null, error ?? throw new ArgumentNullException(nameof(error)));
}
