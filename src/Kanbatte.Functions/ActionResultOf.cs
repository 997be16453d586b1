using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Kanbatte.Functions;

/// <summary>
/// Runs the shared API's <see cref="IResult"/> as the ASP.NET Core integration's <see cref="IActionResult"/>, so a
/// function writes exactly the bytes and headers the self-hosted server writes.
/// </summary>
public sealed class ActionResultOf(IResult result) : IActionResult
{
    public IResult Result { get; } = result;

    public Task ExecuteResultAsync(ActionContext context) => Result.ExecuteAsync(context.HttpContext);

    public static async Task<IActionResult> From(Task<IResult> result) => new ActionResultOf(await result);
}
