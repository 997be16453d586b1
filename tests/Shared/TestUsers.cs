using Kanbatte.Application;

namespace Kanbatte.Testing;

/// <summary>The users tests act as.</summary>
public static class TestUsers
{
    /// <summary>Creates the projects tests work in, so is an owner of each.</summary>
    public static readonly Caller Owner = new("test-owner", "Test Owner", Admin: false);
}
