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
        // Hashes "shard:seq\n" per record. The lines are gathered into a buffer and hashed a buffer at a time:
        // one hash update per record cost more than the hashing itself.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> pending = stackalloc byte[2048];
        var used = 0;
        foreach (var id in members)
        {
            var maxBytes = Encoding.UTF8.GetMaxByteCount(id.TextLength) + 1;
            if (maxBytes > pending.Length - used)
            {
                hash.AppendData(pending[..used]);
                used = 0;
            }
            if (maxBytes > pending.Length)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(id + "\n")); // a record id longer than the buffer: never seen in Kinesis
                continue;
            }
            used += Encoding.UTF8.GetBytes(id.ShardId, pending[used..]);
            pending[used++] = (byte)':';
            used += Encoding.UTF8.GetBytes(id.SequenceNumber, pending[used..]);
            pending[used++] = (byte)'\n';
        }
        hash.AppendData(pending[..used]);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        // 128 bits: collisions are out of reach for any realistic number of objects.
        return Convert.ToHexStringLower(digest[..16]);
    }
}
