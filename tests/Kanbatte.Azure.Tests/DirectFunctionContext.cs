using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Azure.Tests;

/// <summary>
/// The little of a <see cref="FunctionContext"/> the function app's middleware reads: the HttpContext, under the key
/// the ASP.NET Core integration stores it (what <c>GetHttpContext()</c> returns), or none for a non-HTTP trigger.
/// </summary>
public sealed class DirectFunctionContext(Microsoft.AspNetCore.Http.HttpContext? http, IServiceProvider services) : FunctionContext
{
    public override IDictionary<object, object> Items { get; set; } =
        http is null ? new Dictionary<object, object>() : new Dictionary<object, object> { ["HttpRequestContext"] = http };

    public override IServiceProvider InstanceServices { get; set; } = services;
    public override string InvocationId { get; } = Guid.NewGuid().ToString();
    public override string FunctionId => throw new NotSupportedException();
    public override TraceContext TraceContext => throw new NotSupportedException();
    public override BindingContext BindingContext => throw new NotSupportedException();
    public override RetryContext RetryContext => throw new NotSupportedException();
    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();
    public override IInvocationFeatures Features => throw new NotSupportedException();
}
