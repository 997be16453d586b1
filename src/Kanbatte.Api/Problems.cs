using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Kanbatte.Api;

public static class Problems
{
    public static JsonResponse Create(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null,
        int? currentVersion = null, int? errorCount = null) =>
        JsonResponse.Of(status, new Problem(TypeOf(status), title, status, detail, errors, currentVersion, errorCount), JsonResponse.ProblemJson);

    /// <summary>A 400 listing <paramref name="errors"/>; when <paramref name="found"/> is more, the detail and <c>errorCount</c> say so.</summary>
    public static JsonResponse Validation(IReadOnlyDictionary<string, string[]> errors, int found = 0)
    {
        var listed = errors.Sum(e => e.Value.Length);
        var detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        if (found <= listed) return Create(StatusCodes.Status400BadRequest, "The request is invalid.", detail, errors);
        var more = string.Create(CultureInfo.InvariantCulture, $" ({found} errors were found; the first {listed} are listed.)");
        return Create(StatusCodes.Status400BadRequest, "The request is invalid.", detail + more, errors, errorCount: found);
    }

    public static JsonResponse BadRequest(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static JsonResponse Unauthorized(string detail) => Create(StatusCodes.Status401Unauthorized, "Unauthorized.", detail);

    public static JsonResponse NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found.", detail);

    public static JsonResponse Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "Forbidden.", detail);

    public static JsonResponse PreconditionFailed(string detail, int currentVersion) =>
        Create(StatusCodes.Status412PreconditionFailed, "The entity has changed.", detail, currentVersion: currentVersion);

    public static JsonResponse Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict.", detail);

    public static JsonResponse Gone(string detail) => Create(StatusCodes.Status410Gone, "Gone.", detail);

    public static JsonResponse UnsupportedMediaType(string field, string message) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The statuses this API answers with; any other the framework makes is "about:blank" (RFC 9457: just the status).</summary>
    private static string TypeOf(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        403 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        405 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        410 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.11",
        412 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        422 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        500 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}
