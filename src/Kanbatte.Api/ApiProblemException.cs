namespace Kanbatte.Api;

/// <summary>A problem decided outside the domain (e.g. by the idempotency check), returned as it is.</summary>
public sealed class ApiProblemException(JsonResponse problem) : Exception(problem.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))
{
    public JsonResponse Problem { get; } = problem;
}
