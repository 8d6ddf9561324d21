using System.Buffers;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

public class StateReserveTests
{
    private static readonly SourceObject[] Sources = [new SourceObject(0, "b", "k", null)];

    /// <summary>Adds <paramref name="count"/> lines over count/2 ids; returns the state's keys, then releases it.</summary>
    private static string[] Consolidate(StateReserve reserve, int count, string prefix, Action<ConsolidationState>? beforeRelease = null)
    {
        using var context = new ConsolidationContext(PartnerPriorityBook.Empty, Sources) { Reserve = reserve };
        using var parser = new CatalogLineParser(context.FieldNames);
        var state = new ConsolidationState(context);
        for (var i = 0; i < count; i++)
        {
            var line = Encoding.UTF8.GetBytes(
                $$"""{"partner_id":"p","content_type":"hotel","accommodation_id":"{{prefix}}{{i % Math.Max(1, count / 2)}}","updated_at":"2024-05-01T00:00:00Z","n":{{i}}}""");
            parser.Parse(new ReadOnlySequence<byte>(line)).Should().BeNull();
            state.Add(parser, 0, i + 1, 0);
        }
        var keys = state.Keys.Select(k => k.AccommodationId).ToArray();
        for (var i = 0; i < state.GroupCount; i++) state.Group(i).ContributorCount.Should().Be(count / 2 == 0 ? 1 : 2);
        beforeRelease?.Invoke(state);
        state.Release();
        state.GroupCount.Should().Be(0);
        state.Keys.Should().BeEmpty();
        return keys;
    }

    [Test]
    public void A_released_state_leaves_its_arrays_cleared_for_the_next_which_consolidates_as_if_fresh()
    {
        var reserve = new StateReserve(64L << 20);
        Consolidate(reserve, 40_000, "X").Should().HaveCount(20_000);

        var held = reserve.Take();
        held.Should().NotBeNull();
        held!.Slots.Length.Should().BeGreaterThanOrEqualTo(40_000);
        held.Slots.Should().OnlyContain(s => s.GroupPlusOne == 0, "a kept table comes back with every slot empty");
        held.GroupChunks.Should().HaveCountGreaterThanOrEqualTo(5);
        held.GroupChunks.SelectMany(c => c).All(g => g.ContributorCount == 0 && g.Messages.IsEmpty).Should().BeTrue("kept groups hold nothing");
        reserve.Give(held);

        // Fewer groups than before, then more than the reused arrays hold: both as a fresh state would have them.
        Consolidate(reserve, 6, "X").Should().Equal("X0", "X1", "X2");
        Consolidate(reserve, 100_000, "Y").Should().Equal(Enumerable.Range(0, 50_000).Select(i => $"Y{i}"));
        reserve.Take()!.Keys.Length.Should().BeGreaterThanOrEqualTo(50_000, "the larger set was kept");
    }

    [Test]
    public void A_state_takes_the_held_arrays_so_two_states_never_share_them()
    {
        var reserve = new StateReserve(64L << 20);
        Consolidate(reserve, 20_000, "X");
        using var context = new ConsolidationContext(PartnerPriorityBook.Empty, Sources) { Reserve = reserve };
        _ = new ConsolidationState(context);

        reserve.Take().Should().BeNull();
    }

    [Test]
    public void Arrays_over_the_limit_or_still_at_their_first_size_are_not_kept()
    {
        var reserve = new StateReserve(maxIdleBytes: 500_000);
        Consolidate(reserve, 40_000, "X");
        reserve.Take().Should().BeNull("the arrays of 20,000 groups are over 500 KB");

        var generous = new StateReserve(64L << 20);
        Consolidate(generous, 0, "X");
        generous.Take().Should().BeNull("an empty state has nothing worth keeping");
    }

    [Test]
    public void A_state_released_with_a_message_discarded_gives_back_every_chunk_it_used()
    {
        var reserve = new StateReserve(64L << 20);
        Consolidate(reserve, 40_000, "X", state =>
        {
            state.BeginMessage();
            var parser = new CatalogLineParser(state.Context.FieldNames);
            parser.Parse(new ReadOnlySequence<byte>(
                """{"partner_id":"p","content_type":"hotel","accommodation_id":"new","updated_at":"2024-05-01T00:00:00Z"}"""u8.ToArray())).Should().BeNull();
            state.Add(parser, 0, 1, 1);
            state.DiscardMessage();
            parser.Dispose();
        });

        reserve.Take()!.GroupChunks.Should().HaveCount(5, "20,000 groups fill five chunks of 4,096");
    }
}
