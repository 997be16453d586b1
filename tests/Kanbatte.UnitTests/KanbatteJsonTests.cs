using System.Globalization;
using Kanbatte.Application;

namespace Kanbatte.UnitTests;

/// <summary>Times are written one way everywhere (log rows, documents, responses): UTC, milliseconds, truncated.</summary>
public class KanbatteJsonTests
{
    [Theory]
    [InlineData("2026-12-07T02:20:00.0000000+00:00", "2026-12-07T02:20:00.000Z")]
    [InlineData("2026-12-07T02:20:00.1239999+00:00", "2026-12-07T02:20:00.123Z")]
    [InlineData("2026-12-31T23:59:59.9999999-05:00", "2027-01-01T04:59:59.999Z")]
    [InlineData("0001-01-01T00:00:00.0010000+00:00", "0001-01-01T00:00:00.001Z")]
    [InlineData("9999-12-31T23:59:59.9990000+00:00", "9999-12-31T23:59:59.999Z")]
    public void A_time_is_written_in_utc_to_the_millisecond_truncated(string time, string expected)
    {
        var value = DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);
        Assert.Equal(expected, KanbatteJson.Format(value));
        Assert.Equal($"\"{expected}\"", KanbatteJson.Serialize(value));
    }

    [Fact]
    public void Any_time_is_written_as_the_custom_pattern_would_write_it()
    {
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var time = new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.Zero)
                .ToOffset(TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60)));
            Assert.Equal(time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), KanbatteJson.Format(time));
        }
    }
}
