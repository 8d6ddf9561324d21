namespace Pipelines.Catalog.Domain;

/// <summary>
/// The best value seen so far for one field of an accommodation (16 bytes; a batch holds millions of these). The value's
/// bytes sit in its contributor's block in the <see cref="ValueArena"/>. A record's winning values are copied into its
/// block in the order its fields appear, so <see cref="Offset"/> also orders one contributor's fields as the partner
/// wrote them, which is the order the output keeps.
/// </summary>
internal struct FieldSlot
{
    // Negative when the value is JSON null (its bytes "null" are stored all the same).
    private int _signedLength;

    public FieldSlot(int nameId, int contributor, int offset, int length, bool isNull)
    {
        NameId = nameId;
        Contributor = contributor;
        Offset = offset;
        _signedLength = isNull ? -length : length;
    }

    public int NameId { get; }

    /// <summary>Index into <see cref="AccommodationGroup.Contributors"/>.</summary>
    public int Contributor { get; set; }

    /// <summary>Where the value starts within its contributor's block (see the type's remarks for why it also orders fields).</summary>
    public int Offset { get; set; }

    public readonly int Length => Math.Abs(_signedLength);

    public readonly bool IsNull => _signedLength < 0;
}

/// <summary>A record that supplied at least one field of a group, and the arena block its winning values were copied to.</summary>
internal readonly record struct Contributor(Contribution Record, ArenaBlock Values);
