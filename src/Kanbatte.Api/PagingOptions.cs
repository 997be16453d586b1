namespace Kanbatte.Api;

public sealed class PagingOptions
{
    /// <summary>
    /// Signs continuation tokens so a tampered token, or one taken from another list, is refused with 400. Set the
    /// same value on every instance; tokens hold only list positions, never data, so the default is safe but public.
    /// </summary>
    public string TokenKey { get; set; } = "kanbatte-continuation-token";
}
