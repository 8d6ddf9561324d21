using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Pipelines.Events.Domain;

/// <summary>
/// Names a group object by its content: the partition plus a SHA-256 digest of the identities of the records in it.
/// An object name therefore determines the object's bytes (each record's line is a pure function of its immutable
/// Kinesis data), so writing the same name twice is harmless and different record sets never share a name.
/// </summary>
internal static class GroupObjectName
{
    /// <param name="members">The records in the object, in the order <see cref="Canonical"/> returns.</param>
    public static string For(ArchivePartition partition, IReadOnlyList<RecordId> members) =>
        $"{partition.Prefix}{Leaf(members)}.jsonl";

    /// <summary>The name without partition or extension: <c>&lt;shard&gt;-&lt;first seq&gt;-&lt;count&gt;-&lt;digest&gt;</c>.</summary>
    public static string Leaf(IReadOnlyList<RecordId> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("A group object holds at least one record.", nameof(members));
        var first = members[0];
        // Shard and first sequence number keep names readable and roughly time-ordered; the digest makes them unique.
        return $"{first.ShardId}-{first.SequenceNumber}-{members.Count}-{Digest(members)}";
    }

    /// <summary>The one order a group's records are written in, whatever order an attempt saw them in.</summary>
    public static List<RecordId> Canonical(IEnumerable<RecordId> members)
    {
        var list = members.ToList();
        list.Sort();
        return list;
    }

    private static string Digest(IReadOnlyList<RecordId> members)
    {
        // Hashes "shard:seq\n" per record, gathered into one buffer and hashed in one call: an incremental hash
        // (a native context per group) cost more than the hashing itself.
        var maxBytes = 0;
        foreach (var id in members) maxBytes += Encoding.UTF8.GetMaxByteCount(id.TextLength) + 1;
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var used = 0;
            foreach (var id in members)
            {
                used += Encoding.UTF8.GetBytes(id.ShardId, rented.AsSpan(used));
                rented[used++] = (byte)':';
                used += Encoding.UTF8.GetBytes(id.SequenceNumber, rented.AsSpan(used));
                rented[used++] = (byte)'\n';
            }
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(rented.AsSpan(0, used), digest);
            // 128 bits: collisions are out of reach for any realistic number of objects.
            return Convert.ToHexStringLower(digest[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
