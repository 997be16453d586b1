using System.Globalization;
using System.Text;

namespace Kanbatte.Domain;

/// <summary>Field rules shared by every command. Each check names the field it concerns.</summary>
public static class Rules
{
    public const int ProjectNameMax = 100;
    public const int ProjectDescriptionMax = 2_000;
    public const int RepositoryMax = 2_000;
    public const int TitleMax = 200;
    public const int TaskDescriptionMax = 20_000;
    public const int CommentBodyMax = 10_000;
    /// <summary>A followup is a short note of something to come back to.</summary>
    public const int FollowupBodyMax = 2_000;
    public const int MemberNameMax = 100;
    /// <summary>User ids are opaque; this is the longest a token's user id may be.</summary>
    public const int UserIdMax = 256;
    /// <summary>An assignee is a member's user id.</summary>
    public const int AssigneeMax = UserIdMax;
    public const int LabelMax = 50;
    public const int LabelsMax = 20;

    /// <summary>
    /// A one-line text: required when asked, not blank, within its length, no control characters, no line or paragraph
    /// separators, no bidirectional overrides or isolates, and at least one visible character.
    /// </summary>
    public static void Line(Violations v, string field, string? value, int max, bool required)
    {
        if (value is null)
        {
            if (required) v.Add(field, "is required.");
            return;
        }
        if (string.IsNullOrWhiteSpace(value)) v.Add(field, "must not be blank.");
        else if (IsLongerThan(value, max)) v.Add(field, $"must be at most {max} characters.");
        else if (value.Any(char.IsControl)) v.Add(field, "must not contain control characters.");
        else if (value.Any(c => c is '\u2028' or '\u2029')) v.Add(field, "must be one line: no line or paragraph separators (U+2028, U+2029).");
        // Overrides and isolates reorder what a reader sees (a name that reads "exe.pdf" but is "fdp.exe").
        else if (value.Any(IsBidiOverrideOrIsolate)) v.Add(field, "must not contain bidirectional override or isolate controls (U+202A-U+202E, U+2066-U+2069).");
        else if (!HasVisibleCharacter(value)) v.Add(field, "must contain a visible character, not only invisible ones such as U+200B or U+FEFF.");
    }

    /// <summary>A multi-line text: line breaks and tabs allowed, other control characters not.</summary>
    public static void Text(Violations v, string field, string? value, int max, bool required, bool allowEmpty)
    {
        if (value is null)
        {
            if (required) v.Add(field, "is required.");
            return;
        }
        if (!allowEmpty && string.IsNullOrWhiteSpace(value)) v.Add(field, "must not be blank.");
        else if (IsLongerThan(value, max)) v.Add(field, $"must be at most {max} characters.");
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) v.Add(field, "must not contain control characters other than line breaks and tabs.");
        // A text that may not be blank may not be invisible either: both show nothing.
        else if (!allowEmpty && !HasVisibleCharacter(value)) v.Add(field, "must contain a visible character, not only invisible ones such as U+200B or U+FEFF.");
    }

    /// <summary>
    /// The length as the OpenAPI document counts it: JSON Schema's maxLength counts code points, so an emoji (two UTF-16
    /// units) is one character. A lone surrogate counts as one.
    /// </summary>
    public static int LengthOf(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes()) count++;
        return count;
    }

    // Code points never outnumber UTF-16 units, so only a string longer in units needs counting.
    private static bool IsLongerThan(string value, int max) => value.Length > max && LengthOf(value) > max;

    private static bool IsBidiOverrideOrIsolate(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static bool HasVisibleCharacter(string value)
    {
        foreach (var rune in value.EnumerateRunes())
            if (!IsInvisible(rune)) return true;
        return false;
    }

    /// <summary>
    /// Whitespace, controls, format characters (category Cf: U+200B, U+FEFF, U+2060, tags...) and the other code points
    /// Unicode marks default-ignorable (rendered as nothing: variation selectors, Hangul fillers, U+034F, U+17B4-U+17B5).
    /// </summary>
    private static bool IsInvisible(Rune rune) =>
        Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format || rune.Value is
            0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F) or 0x3164 or (>= 0xFE00 and <= 0xFE0F)
            or 0xFFA0 or (>= 0xE0000 and <= 0xE0FFF);

    public static void Status(Violations v, string field, string? value)
    {
        if (value is not null && !Statuses.IsValid(value))
            v.Add(field, $"must be one of {string.Join(", ", Statuses.All)}.");
    }

    public static void Priority(Violations v, string field, string? value)
    {
        if (value is not null && !Priorities.IsValid(value))
            v.Add(field, $"must be one of {string.Join(", ", Priorities.All)}.");
    }

    public static void Labels(Violations v, string field, IReadOnlyList<string>? labels)
    {
        if (labels is null) return;
        if (labels.Distinct(StringComparer.Ordinal).Count() > LabelsMax) v.Add(field, $"must hold at most {LabelsMax} labels.");
        foreach (var label in labels) Line(v, field, label, LabelMax, required: true);
    }

    /// <summary>Labels are a set: duplicates dropped, kept in ordinal order so equal sets compare equal.</summary>
    public static IReadOnlyList<string> NormalizeLabels(IEnumerable<string> labels) =>
        labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public static void Repository(Violations v, string field, string? value)
    {
        if (value is null) return;
        if (IsLongerThan(value, RepositoryMax)) v.Add(field, $"must be at most {RepositoryMax} characters.");
        else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
            v.Add(field, "must be an absolute http or https URL.");
    }
}
