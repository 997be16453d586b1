using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>How a kind of stream folds into the state its commands decide on.</summary>
/// <param name="Evolve">The state after one stored event (decoded and upcast by <see cref="EventCodec"/>).</param>
/// <param name="VersionOf">The stream version a state reflects.</param>
public sealed record StreamFold<TState>(Func<TState?, EventEnvelope, TState?> Evolve, Func<TState, int> VersionOf) where TState : class
{
    public TState? Fold(IEnumerable<EventEnvelope> events, TState? state = null)
    {
        foreach (var e in events) state = Evolve(state, e);
        return state;
    }
}

/// <summary>The folds of Kanbatte's two kinds of streams.</summary>
public static class StreamFolds
{
    /// <summary>The project with its members: see <see cref="ProjectStream"/>.</summary>
    public static readonly StreamFold<ProjectStream> Project = new(
        (state, e) => ProjectDecider.EvolveStream(state, EventCodec.Decode(e), e.Version, e.RecordedAt), state => state.Version);

    /// <summary>The task with its comments: see <see cref="TaskStream"/>.</summary>
    public static readonly StreamFold<TaskStream> Task = new(
        (state, e) => TaskDecider.EvolveStream(state, EventCodec.Decode(e), e.Version, e.RecordedAt), state => state.Version);
}
