using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.Benchmarks;

/// <summary>The in-process parts, without I/O: fold, decide, encode/decode, and the projector's pure apply step.</summary>
[MemoryDiagnoser]
public class DomainBenchmarks
{
    private static readonly EventMetadata Meta = new("micro");
    private List<EventEnvelope> _stream = [];
    private TaskState _state = null!;
    private string _stateJson = "";
    private EventEnvelope _update = null!;

    [GlobalSetup]
    public void Setup()
    {
        var project = new ProjectState("BM", "Benchmark", "", null, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        var created = TaskDecider.Create(project, "BM", 1, new CreateTask("A task", new string('d', 300), null), Ranks.Bottom(now));
        _stream = [EventCodec.Encode("task:BM-001", 1, created, now, Meta)];
        var state = EventCodec.FoldTask(_stream)!;
        for (var v = 2; v <= 20; v++)
        {
            var e = v % 2 == 0
                ? TaskDecider.Change(state, state.Id, new ChangeTask($"Title {v}", null, null))[0]
                : TaskDecider.Comment(state, state.Id, v, new AddComment($"Comment {v}"), new UserRef("ann", "Ann"));
            var envelope = EventCodec.Encode("task:BM-001", v, e, now, Meta);
            _stream.Add(envelope);
            state = EventCodec.FoldTask([envelope], state)!;
        }
        _state = state;
        _stateJson = KanbatteJson.Serialize(state);
        _update = _stream[^2];
    }

    [Benchmark(Description = "fold a 20-event task stream")]
    public TaskState? Fold() => EventCodec.FoldTask(_stream);

    [Benchmark(Description = "decide a change (validate + diff)")]
    public IReadOnlyList<IDomainEvent> Decide() => TaskDecider.Change(_state, _state.Id, new ChangeTask("New title", null, Statuses.Done));

    [Benchmark(Description = "encode an event (serialize to JSON)")]
    public EventEnvelope Encode() => EventCodec.Encode("task:BM-001", 21, new TaskUpdated("New title", null, Statuses.Done), DateTimeOffset.UtcNow, Meta);

    [Benchmark(Description = "decode an event")]
    public IDomainEvent Decode() => EventCodec.Decode(_update);

    [Benchmark(Description = "projector apply: read doc JSON, evolve, write doc JSON")]
    public string Apply()
    {
        var state = JsonSerializer.Deserialize<TaskState>(_stateJson, KanbatteJson.Options)!;
        state = TaskDecider.Evolve(state, EventCodec.Decode(_update), state.Version + 1, _update.RecordedAt)!;
        return KanbatteJson.Serialize(state);
    }
}
