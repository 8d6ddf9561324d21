using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Domain;

namespace Pipelines.Tests.EventArchiver;

public class GroupObjectNameTests
{
    private static readonly ArchivePartition Partition = new(ArchiveKind.Events, "lesson", new DateOnly(2024, 3, 1));

    private static RecordId Id(string seq, string shard = "shardId-000000000000") => new(shard, seq);

    [Test]
    public void Is_the_same_for_the_same_records_in_any_order()
    {
        var a = GroupObjectName.For(Partition, GroupObjectName.Canonical([Id("200"), Id("100"), Id("300")]));
        var b = GroupObjectName.For(Partition, GroupObjectName.Canonical([Id("300"), Id("200"), Id("100")]));

        a.Should().Be(b);
        a.Should().MatchRegex("^events/event_type=lesson/created_date=2024-03-01/shardId-000000000000-100-3-[0-9a-f]{32}\\.jsonl$");
    }

    [Test]
    public void Differs_for_any_different_record_set_even_with_the_same_first_record()
    {
        var whole = GroupObjectName.For(Partition, [Id("100"), Id("200"), Id("300")]);
        var prefix = GroupObjectName.For(Partition, [Id("100"), Id("200")]);
        var otherShard = GroupObjectName.For(Partition, [Id("100", "shardId-000000000001"), Id("200"), Id("300")]);

        new[] { whole, prefix, otherShard }.Should().OnlyHaveUniqueItems();
    }

    [TestCase("9", "10", -1)]
    [TestCase("49590338271490256608559692538361571095921575989136588898", "49590338271490256608559692538361571095921575989136588899", -1)]
    [TestCase("100", "100", 0)]
    [TestCase("0100", "99", 1)]
    public void Compares_sequence_numbers_numerically(string a, string b, int sign)
    {
        Math.Sign(RecordId.CompareSequenceNumbers(a, b)).Should().Be(sign);
    }

    [Test]
    public void Digests_the_shard_and_sequence_lines_of_the_records_so_names_stay_stable_across_releases()
    {
        // Objects already in the archive were named this way: a redelivery must compute the same name.
        var many = Enumerable.Range(0, 300)
            .Select(i => Id("4959033827149025660855969253836157109592157598913658" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))
            .Append(Id(new string('7', 3000)))
            .ToList();

        var leaf = GroupObjectName.Leaf(many);

        var lines = string.Concat(many.Select(id => $"{id.ShardId}:{id.SequenceNumber}\n"));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(lines))[..16]);
        leaf.Should().Be($"shardId-000000000000-49590338271490256608559692538361571095921575989136580000-301-{expected}");
    }
}
