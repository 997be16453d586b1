using System.Globalization;
using System.Text;

namespace Kanbatte.Domain;

/// <summary>
/// Ranks order the tasks of a column: strings over 0-9a-z compared ordinally, read as base-36 fractions (the fractional
/// index of a task). The first <see cref="IntegerDigits"/> digits are the rank's integer part: a new task takes the
/// clock's (milliseconds since 1970, so it sorts after every rank handed out before), and a task moved to the top or the
/// bottom takes the integer next to the first or last task's, so those ranks keep their length however often it
/// happens. A move between two tasks takes the shortest rank strictly between theirs; only moves again and again into the
/// same gap lengthen a rank (about one digit per five), and once one would pass <see cref="MaxLength"/> the column is
/// rebalanced (<see cref="Spread"/>). No rank ends in '0', so ordinal and numeric order agree.
/// </summary>
public static class Ranks
{
    public const int MaxLength = 200;
    public const int IntegerDigits = 13;
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const int Base = 36;

    /// <summary>Room left between neighbours after a rebalance: two digits, so a few moves into a gap stay this short.</summary>
    private static readonly UInt128 Spacing = Base * Base;

    /// <summary>The bottom of any column at <paramref name="now"/>: later than every earlier rank, including moved ones.</summary>
    public static string Bottom(DateTimeOffset now) =>
        now.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture);

    public static bool IsValid(string? rank) => !string.IsNullOrEmpty(rank) && rank.Length <= MaxLength && rank.All(c => Digits.Contains(c)) && rank[^1] != '0';

    /// <summary>
    /// A rank strictly between <paramref name="lower"/> and <paramref name="upper"/>; either may be null (no task above, or
    /// below). Null when there is no room within <see cref="MaxLength"/> (or the two are not in order): the column needs a rebalance.
    /// </summary>
    public static string? Between(string? lower, string? upper)
    {
        if (lower is null && upper is null) throw new ArgumentException("A rank needs at least one neighbour.");
        if (upper is null) return Add(Integer(lower!), 1);           // below the last: the next integer
        if (lower is null) return Subtract(Integer(upper, roundUp: true), 1); // above the first: the integer before
        if (string.CompareOrdinal(lower, upper) >= 0) return null;

        var result = new StringBuilder();
        for (var i = 0; i < MaxLength; i++)
        {
            var dl = i < lower.Length ? Digits.IndexOf(lower[i]) : 0;
            var dh = upper is null ? Base : i < upper.Length ? Digits.IndexOf(upper[i]) : 0;
            if (dh - dl > 1)
            {
                result.Append(Digits[(dl + dh) / 2]);
                return result.ToString();
            }
            result.Append(Digits[dl]);
            if (dh - dl == 1) upper = null; // below upper from here on: the rest only has to stay above lower
        }
        return null;
    }

    /// <summary>
    /// <paramref name="count"/> ranks in order, all below <paramref name="first"/> (the column's first rank now), evenly
    /// spaced: a rebalanced column. Being below every rank the column holds, they can be written one task at a time, top
    /// down, and the column is in order after each write.
    /// </summary>
    public static IReadOnlyList<string> Spread(string first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var last = Subtract(Integer(first, roundUp: true), 1) ?? throw new InvalidOperationException($"No room for ranks below '{first}'.");
        // Ending in "ii", the middle of the room between two spread ranks, so a move between them needs no longer a rank.
        var middle = Spacing / 2 + Base / 2;
        var lastValue = Parse(last);
        if (lastValue < middle + Spacing * (UInt128)(count - 1)) throw new InvalidOperationException($"No room for {count} ranks below '{first}'.");
        var top = (lastValue - middle) / Spacing * Spacing + middle;
        return Enumerable.Range(0, count).Select(i => Format(top - Spacing * (UInt128)(count - 1 - i))).ToList();
    }

    /// <summary>The integer part of a rank: its first digits, padded with zeros; with <paramref name="roundUp"/>, the
    /// smallest integer at or above the rank (so one less is below it).</summary>
    private static UInt128 Integer(string rank, bool roundUp = false)
    {
        var value = Parse(rank.Length >= IntegerDigits ? rank[..IntegerDigits] : rank.PadRight(IntegerDigits, '0'));
        return roundUp && rank.Length > IntegerDigits && rank[IntegerDigits..].Any(c => c != '0') ? value + 1 : value;
    }

    private static string? Add(UInt128 integer, int step)
    {
        var value = integer + (UInt128)step;
        if (value % Base == 0) value++; // never end in '0'
        return value >= Limit ? null : Format(value);
    }

    private static string? Subtract(UInt128 integer, int step)
    {
        if (integer <= (UInt128)step) return null;
        var value = integer - (UInt128)step;
        if (value % Base == 0) value--;
        return value == 0 ? null : Format(value);
    }

    private static readonly UInt128 Limit = Enumerable.Repeat((UInt128)Base, IntegerDigits).Aggregate((UInt128)1, (a, b) => a * b);

    private static UInt128 Parse(string digits)
    {
        UInt128 value = 0;
        foreach (var c in digits) value = value * Base + (UInt128)Digits.IndexOf(c);
        return value;
    }

    private static string Format(UInt128 value)
    {
        var chars = new char[IntegerDigits];
        for (var i = IntegerDigits - 1; i >= 0; i--)
        {
            chars[i] = Digits[(int)(value % Base)];
            value /= Base;
        }
        return new string(chars);
    }
}
