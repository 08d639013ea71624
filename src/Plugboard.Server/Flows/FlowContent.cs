using System.Text.Json;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Pieces;

namespace Plugboard.Server.Flows;

/// One connection a flow references, with the piece of the first step that does (a placeholder's pieceName).
public sealed record ConnectionUse(string ExternalId, string PieceName);

/// A flow's trigger and steps, checked, with the connections they reference.
public sealed record FlowContent(FlowStep Trigger, IReadOnlyList<FlowStep> Steps, IReadOnlyList<ConnectionUse> Uses)
{
    public const int MaxSteps = 200;
    public const int MaxConnections = 100;
    private const int MaxPieceVersion = 32;

    public string TriggerJson => JsonSerializer.Serialize(Trigger, JsonDefaults.Options);

    public string StepsJson => JsonSerializer.Serialize(Steps, JsonDefaults.Options);

    public static FlowStep ReadTrigger(string json) => JsonSerializer.Deserialize<FlowStep>(json, JsonDefaults.Options)!;

    public static List<FlowStep> ReadSteps(string json) => JsonSerializer.Deserialize<List<FlowStep>>(json, JsonDefaults.Options)!;

    /// The stored content of a flow, as written: it was checked when saved.
    public static FlowContent Read(Flow flow) =>
        Build(ReadTrigger(flow.TriggerJson), ReadSteps(flow.StepsJson), stepsGiven: true).Value
        ?? throw new InvalidOperationException($"Flow {flow.Id} holds content that no longer passes its checks.");

    public static Outcome<FlowStep> CheckStep(FlowStepRequest? step, string field)
    {
        if (step is null)
        {
            return ApiError.Validation($"{field} is required.", field);
        }
        var invalid = Validate.FirstError(
            Validate.Text(step.Name, $"{field}.name"),
            PieceNames.Check(step.PieceName, $"{field}.pieceName"),
            Validate.Text(step.PieceVersion, $"{field}.pieceVersion", required: false, max: MaxPieceVersion),
            Validate.Text(step.Operation, $"{field}.operation"));
        if (invalid is not null)
        {
            return invalid;
        }
        if (step.Input is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            return ApiError.Validation($"{field}.input must be an object.", $"{field}.input");
        }
        var input = step.Input is { ValueKind: JsonValueKind.Object } given ? given : EmptyObject;
        return new FlowStep(step.Name!, step.PieceName!, step.PieceVersion, step.Operation!, input);
    }

    public static Outcome<List<FlowStep>> CheckSteps(FlowStepRequest?[] steps)
    {
        if (steps.Length > MaxSteps)
        {
            return ApiError.Validation($"A flow has at most {MaxSteps} steps.", "steps");
        }
        var checkedSteps = new List<FlowStep>(steps.Length);
        for (var i = 0; i < steps.Length; i++)
        {
            if (!CheckStep(steps[i], $"steps[{i}]").TryGetValue(out var step, out var error))
            {
                return error;
            }
            checkedSteps.Add(step);
        }
        return checkedSteps;
    }

    /// A request's trigger and steps, each already checked, as one content: the first error found (trigger, then
    /// steps, then the flow as a whole) is the answer.
    public static Outcome<FlowContent> Check(Outcome<FlowStep> trigger, Outcome<List<FlowStep>> steps, bool stepsGiven)
    {
        if (!trigger.TryGetValue(out var checkedTrigger, out var triggerError))
        {
            return triggerError;
        }
        return steps.TryGetValue(out var checkedSteps, out var stepsError) ? Build(checkedTrigger, checkedSteps, stepsGiven) : stepsError;
    }

    /// Step names are unique within the flow, the trigger's included; every referenced id must be one a
    /// connection could have. A name clash is reported on the part the request changed.
    public static Outcome<FlowContent> Build(FlowStep trigger, IReadOnlyList<FlowStep> steps, bool stepsGiven)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { trigger.Name };
        for (var i = 0; i < steps.Count; i++)
        {
            if (!names.Add(steps[i].Name))
            {
                var field = !stepsGiven && steps[i].Name == trigger.Name ? "trigger.name" : $"steps[{i}].name";
                return ApiError.Validation($"{field} '{steps[i].Name}' is already used by another step of this flow; step names must be unique.", field);
            }
        }

        var uses = new Dictionary<string, ConnectionUse>(StringComparer.Ordinal);
        var parts = steps.Select((step, i) => (Step: step, Field: $"steps[{i}].input")).Prepend((Step: trigger, Field: "trigger.input"));
        foreach (var (step, field) in parts)
        {
            foreach (var id in ConnectionReferences.InJson(step.Input))
            {
                if (!IsExternalId(id))
                {
                    return ApiError.Validation(
                        $"{field} references a connection id that no connection can have (1 to {Lengths.ExternalId} characters, not blank, no control characters).", field);
                }
                uses.TryAdd(id, new ConnectionUse(id, step.PieceName));
            }
            if (uses.Count > MaxConnections)
            {
                return ApiError.Validation($"A flow references at most {MaxConnections} distinct connections.", field);
            }
        }
        return new FlowContent(trigger, steps, uses.Values.ToList());
    }

    public IReadOnlyList<string> ConnectionIds => Uses.Select(u => u.ExternalId).Order(StringComparer.Ordinal).ToList();

    private static bool IsExternalId(string id) =>
        id.Length <= Lengths.ExternalId && !string.IsNullOrWhiteSpace(id) && !id.Any(char.IsControl);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
