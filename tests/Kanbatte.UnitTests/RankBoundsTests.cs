using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>How long ranks get: moves to either end keep their length, a gap runs out of room only after many moves into it, and a rebalance spreads a column.</summary>
public class RankBoundsTests
{
    private static readonly string Clock = Ranks.Bottom(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    [Fact]
    public void Moves_to_the_top_or_the_bottom_keep_the_rank_length()
    {
        var (top, bottom) = (Clock, Clock);
        for (var i = 0; i < 100_000; i++)
        {
            var above = Ranks.Between(null, top)!;
            var below = Ranks.Between(bottom, null)!;
            Assert.True(string.CompareOrdinal(above, top) < 0 && string.CompareOrdinal(bottom, below) < 0);
            (top, bottom) = (above, below);
        }
        Assert.Equal((Ranks.IntegerDigits, Ranks.IntegerDigits), (top.Length, bottom.Length));
        Assert.True(Ranks.IsValid(top) && Ranks.IsValid(bottom));
    }

    [Fact]
    public void A_long_rank_at_an_end_gets_short_again() =>
        Assert.Equal(Ranks.IntegerDigits, Ranks.Between(null, Clock + new string('5', 150))!.Length);

    [Fact]
    public void Moves_into_one_gap_run_out_of_room_only_after_hundreds_and_then_report_it()
    {
        var (lower, upper) = (Clock, Ranks.Between(Clock, null)!);
        var moves = 0;
        for (var mid = Ranks.Between(lower, upper); mid is not null; mid = Ranks.Between(lower, upper), moves++)
        {
            Assert.True(string.CompareOrdinal(lower, mid) < 0 && string.CompareOrdinal(mid, upper) < 0);
            Assert.True(Ranks.IsValid(mid));
            upper = mid;
        }
        Assert.InRange(moves, 900, 1_000); // about five per digit, from 13 digits to 200
    }

    [Theory]
    [InlineData("b", "a")]
    [InlineData("a", "a")]
    public void Neighbours_out_of_order_leave_no_room(string lower, string upper) => Assert.Null(Ranks.Between(lower, upper));

    [Fact]
    public void A_spread_is_in_order_below_the_first_rank_and_leaves_room_between()
    {
        var spread = Ranks.Spread("0i", 1_000);
        Assert.Equal(1_000, spread.Count);
        Assert.True(string.CompareOrdinal(spread[^1], "0i") < 0);
        for (var i = 1; i < spread.Count; i++)
        {
            Assert.True(string.CompareOrdinal(spread[i - 1], spread[i]) < 0);
            Assert.InRange(Ranks.Between(spread[i - 1], spread[i])!.Length, 1, Ranks.IntegerDigits); // room without a longer rank
        }
        Assert.All(spread, r => Assert.True(Ranks.IsValid(r), r));
    }
}
