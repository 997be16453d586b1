using Kanbatte.Api;
using Microsoft.AspNetCore.SignalR;

namespace Kanbatte.Server;

/// <summary>A hub connection's user is the caller its token names, as the API reads it (so sends to members reach them).</summary>
public sealed class CallerUserIds(Identity identity) : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) => identity.CallerOf(connection.User)?.Id;
}
