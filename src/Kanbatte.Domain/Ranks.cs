using System.Globalization;
using System.Text;

namespace Kanbatte.Domain;

/// <summary>
/// Lexicographic ranks that order tasks within a column (ordinal string order over 0-9a-z).
/// A new or re-columned task gets a rank from the clock, fixed width, so it sorts after every rank handed out before;
/// a move places a task between two neighbours by a rank strictly between theirs, so no other task is rewritten.
/// </summary>
public static class Ranks
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const int Base = 36;

    /// <summary>The bottom of any column at <paramref name="now"/>: later than every earlier rank, including moved ones.</summary>
    public static string Bottom(DateTimeOffset now) =>
        now.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture);

    public static bool IsValid(string? rank) => !string.IsNullOrEmpty(rank) && rank.Length <= 200 && rank.All(c => Digits.Contains(c)) && rank[^1] != '0';

    /// <summary>
    /// A rank strictly between <paramref name="lower"/> and <paramref name="upper"/> (either may be null: unbounded).
    /// Never ends in '0', so ordinal order and numeric order of the ranks agree.
    /// </summary>
    public static string Between(string? lower, string? upper)
    {
        // Unbounded above: extend the lower rank, so the result stays below every later clock rank.
        if (upper is null || (lower is not null && string.CompareOrdinal(lower, upper) >= 0))
            return (lower ?? "") + "i";
        var lo = lower ?? "";
        var hi = upper;
        var result = new StringBuilder();
        for (var i = 0; ; i++)
        {
            var dl = i < lo.Length ? Digits.IndexOf(lo[i]) : 0;
            var dh = hi is null ? Base : i < hi.Length ? Digits.IndexOf(hi[i]) : 0;
            if (dh - dl > 1)
            {
                result.Append(Digits[(dl + dh) / 2]);
                return result.ToString();
            }
            result.Append(Digits[dl]);
            if (dh - dl == 1) hi = null; // below hi from here on: the rest only has to stay above lo
        }
    }
}
