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
    public const int AuthorMax = 100;
    public const int AssigneeMax = 100;
    public const int LabelMax = 50;
    public const int LabelsMax = 20;

    /// <summary>A one-line text: required when asked, not blank, within its length, no control characters.</summary>
    public static void Line(Violations v, string field, string? value, int max, bool required)
    {
        if (value is null)
        {
            if (required) v.Add(field, "is required.");
            return;
        }
        if (string.IsNullOrWhiteSpace(value)) v.Add(field, "must not be blank.");
        else if (value.Length > max) v.Add(field, $"must be at most {max} characters.");
        else if (value.Any(char.IsControl)) v.Add(field, "must not contain control characters.");
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
        else if (value.Length > max) v.Add(field, $"must be at most {max} characters.");
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) v.Add(field, "must not contain control characters other than line breaks and tabs.");
    }

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
        if (value.Length > RepositoryMax) v.Add(field, $"must be at most {RepositoryMax} characters.");
        else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
            v.Add(field, "must be an absolute http or https URL.");
    }
}
