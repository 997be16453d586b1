namespace Kanbatte.FunctionalTests;

/// <summary>Members, roles, the actor and the caller's keys on the self-hosted server's SQLite store (<see cref="MembershipScenarios"/>).</summary>
public sealed class MembershipTests(KanbatteFactory factory) : IClassFixture<KanbatteFactory>
{
    private MembershipScenarios Scenarios => new((id, name) => factory.CreateClientFor(id, name), () => Task.FromResult(factory.EventCount));

    [Fact]
    public Task Each_user_lists_their_own_projects_and_owners_manage_members() => Scenarios.Each_user_lists_their_own_projects_and_owners_manage_members();

    [Fact]
    public Task Nothing_of_a_project_crosses_to_someone_outside_it() => Scenarios.Nothing_of_a_project_crosses_to_someone_outside_it();

    [Fact]
    public Task Every_event_names_its_actor_and_comments_their_authors_and_idempotency_keys_their_callers() =>
        Scenarios.Every_event_names_its_actor_and_comments_their_authors_and_idempotency_keys_their_callers();
}
