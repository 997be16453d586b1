using Microsoft.IdentityModel.Tokens;

namespace Kanbatte.Api;

/// <summary>A token that is genuine but names no usable user id (see <see cref="Identity.CallerOf"/>): refused with 401.</summary>
public sealed class TokenWithoutUserException(string claim)
    : SecurityTokenValidationException($"The token names no user: its '{claim}' claim is missing, empty, longer than {Kanbatte.Application.Caller.MaxIdLength} characters or holds a control character.");
