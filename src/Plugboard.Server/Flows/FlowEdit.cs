using System.Text.Json.Nodes;
using Plugboard.Server.Http;

namespace Plugboard.Server.Flows;

/// A stored flow's trigger and steps as editable JSON, so a rewrite changes only the strings it touches and keeps
/// everything else as stored. Saving re-checks the content and re-indexes the flow's connection refs, as any save does.
public sealed class FlowEdit(Flow flow)
{
    private readonly JsonNode _trigger = JsonNode.Parse(flow.TriggerJson)!;
    private readonly JsonArray _steps = JsonNode.Parse(flow.StepsJson)!.AsArray();

    /// The trigger, then the steps in order.
    public IEnumerable<JsonNode> Parts => _steps.OfType<JsonNode>().Prepend(_trigger);

    /// The trigger or step of that name; null when the flow has none.
    public JsonNode? Part(string name) => Parts.FirstOrDefault(p => p["name"]?.GetValue<string>() == name);

    /// Points every reference to `from` in a part's input at `to`, in every form the engine resolves (see ConnectionReferences).
    public static void RewriteReferences(JsonNode part, string from, string to) => ConnectionReferences.RewriteJson(part["input"], from, to);

    /// Writes the edited trigger and steps back as the flow's next version, with the refs that follow from them;
    /// content that no longer passes the checks is the error instead, and the flow is left as it was.
    public Outcome<FlowContent> Save(DateTime now)
    {
        var (triggerJson, stepsJson) = (_trigger.ToJsonString(JsonDefaults.Options), _steps.ToJsonString(JsonDefaults.Options));
        var built = FlowContent.Build(FlowContent.ReadTrigger(triggerJson), FlowContent.ReadSteps(stepsJson), stepsGiven: true);
        if (!built.TryGetValue(out var content, out var error))
        {
            return error;
        }
        flow.TriggerJson = triggerJson;
        flow.StepsJson = stepsJson;
        FlowsApi.SyncRefs(flow, content);
        flow.Version++;
        flow.Updated = now;
        return content;
    }
}
