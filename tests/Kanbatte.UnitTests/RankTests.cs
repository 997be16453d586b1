using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

public class RankTests
{
    [Theory]
    [InlineData(null, "1764000000000")]
    [InlineData("1764000000000", null)]
    [InlineData("1764000000000", "1764000000001")]
    [InlineData("1764000000000", "1764000000000i")]
    [InlineData("a", "b")]
    [InlineData("ab", "b")]
    [InlineData("0i", "1")]
    public void Between_is_strictly_between_and_never_ends_in_zero(string? lower, string? upper)
    {
        var rank = Ranks.Between(lower, upper);
        Assert.True(lower is null || string.CompareOrdinal(lower, rank) < 0, $"{lower} < {rank}");
        Assert.True(upper is null || string.CompareOrdinal(rank, upper) < 0, $"{rank} < {upper}");
        Assert.True(Ranks.IsValid(rank));
    }

    [Fact]
    public void Repeated_moves_between_the_same_neighbours_keep_order_and_stay_below_later_new_tasks()
    {
        var lower = Ranks.Bottom(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var upper = Ranks.Bottom(DateTimeOffset.Parse("2026-01-01T00:00:01Z"));
        for (var i = 0; i < 200; i++)
        {
            var mid = Ranks.Between(lower, upper);
            Assert.True(string.CompareOrdinal(lower, mid) < 0 && string.CompareOrdinal(mid, upper) < 0);
            upper = mid;
        }
        var bottom = Ranks.Between(upper, null); // after the last task of a column
        Assert.True(string.CompareOrdinal(bottom, Ranks.Bottom(DateTimeOffset.Parse("2026-01-01T00:00:02Z"))) < 0);
    }
}
