namespace Kanbatte.Api;

/// <summary>How a token names its user (<c>Kanbatte:Auth</c>).</summary>
public sealed class KanbatteAuthOptions
{
    public const string Section = "Kanbatte:Auth";

    /// <summary>The claim holding the user id: <c>sub</c> by default, <c>oid</c> for a single-tenant Entra ID app.</summary>
    public string UserIdClaim { get; set; } = "sub";
}
