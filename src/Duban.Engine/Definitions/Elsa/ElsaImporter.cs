using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Duban.Engine.Activities;
using Duban.Engine.Forms;

namespace Duban.Engine.Definitions.Elsa;

/// <summary>One thing of an Elsa document Duban cannot run, by node (null: the document).</summary>
public sealed record ElsaProblem(string? ActivityId, string Message);

/// <summary>The definition Elsa's JSON maps to, or — when anything cannot be mapped — what, node by node.</summary>
public sealed record ElsaImportResult(WorkflowDefinition? Definition, IReadOnlyList<ElsaProblem> Problems);

/// <summary>
/// Elsa 3 workflow JSON → a Duban definition (docs/decisions/030). Elsa's flowchart activities become Duban's: Start,
/// End/Finish, FlowDecision, FlowSwitch, FlowFork, FlowJoin, Delay and Timer, SetVariable, WriteLine, Fault; a nested
/// flowchart (FlowNode, Flowchart), a Sequence and a Fork with activity branches are laid out in place. Where Elsa's semantics differ they are made explicit: an activity
/// several branches lead to gets a waitAllActive join in front of it (Elsa's implicit join, or the join its merge mode
/// names), an outcome with no connection leads to an End that ends only its branch, and a flowchart without a Start
/// gets one before the activity Elsa would start at. Elsa's JavaScript is rewritten to Duban's (<see cref="ElsaScripts"/>).
/// A document Duban exported (<see cref="ElsaFormat.WrittenByDuban"/>) comes back as it was, unless edited in Elsa.
/// </summary>
public sealed class ElsaImporter(ActivityRegistry registry)
{
    private static readonly HashSet<string> Bookkeeping =
        ["id", "type", "name", "version", "nodeId", "metadata", "customProperties", "canStartWorkflow", "runAsynchronously", "source", "line", "applicationProperties"];

    public ElsaImportResult Import(JsonObject document)
    {
        var session = new Session(registry, document);
        return session.Run();
    }

    private sealed class Session(ActivityRegistry registry, JsonObject document)
    {
        private readonly List<ElsaProblem> _problems = [];
        private readonly List<JsonObject> _activities = [];
        private readonly List<(string From, string Port, string To)> _connections = [];
        private readonly bool _fromDuban = ElsaFormat.WrittenByDuban(document);
        private readonly JsonObject? _duban = document["customProperties"]?[ElsaFormat.Key] as JsonObject;
        private readonly Dictionary<string, string> _mergeModes = new();
        private List<string> _variableNames = [];
        // Inside a nested flowchart, sequence or fork: an Elsa Start or End there begins or ends only that container.
        private int _depth;
        // A container (nested flowchart, sequence, fork) laid out in place, by its id: the one way out its outgoing
        // connections now leave from (its last activity, or the join where its branches meet).
        private readonly Dictionary<string, (string Id, string Port)> _exitOf = new();

        public ElsaImportResult Run()
        {
            if (document["root"] is not JsonObject root)
                return new(null, [new(null, "不是 Elsa 流程定义：缺少 root")]);
            var variables = Variables();
            _variableNames = variables.Select(v => v.Name).ToList();
            var rootActivities = root["activities"] as JsonArray ?? [];
            var rootConnections = Connections(root);
            var startId = StartOf(root, rootActivities, rootConnections);

            foreach (var node in rootActivities.OfType<JsonObject>()) MapActivity(node, rootConnections);
            _connections.InsertRange(0, rootConnections.Select(Rewired));

            if (_problems.Count > 0) return new(null, _problems);

            // A flowchart Elsa starts without a Start activity gets one, before the activity Elsa would start at.
            if (startId is null || _activities.All(a => Id(a) != startId)) return new(null, [new(null, "流程图中没有可以开始的节点")]);
            if (Type(_activities.First(a => Id(a) == startId)) != ActivityTypes.Start)
            {
                var id = Unique("start");
                _activities.Insert(0, Node(id, ActivityTypes.Start, "开始", new()));
                _connections.Insert(0, (id, PortNames.Done, startId));
            }

            var flowchart = BuildFlowchart(root);
            if (!_fromDuban) flowchart = ElsaGraph.AddImplicitJoins(ElsaGraph.DropSingleEntryJoins(flowchart), _mergeModes);
            flowchart = ElsaGraph.EndOpenPorts(flowchart, registry, _duban?["branchEnds"] as JsonArray);

            var definitionId = ElsaFormat.Text(document["definitionId"]) is { Length: > 0 } d ? d : "elsa-" + Guid.NewGuid().ToString("N")[..8];
            var definition = new WorkflowDefinition
            {
                DefinitionId = definitionId,
                Name = ElsaFormat.Text(document["name"]) is { Length: > 0 } n ? n : definitionId,
                Description = ElsaFormat.Text(document["description"]),
                Variables = variables,
                Forms = _duban?["forms"]?.Deserialize<List<FormDefinition>>(DefinitionJson.Options) ?? [],
                Options = _duban?["options"]?.DeepClone() as JsonObject,
                Root = flowchart,
            };
            return new(definition, []);
        }

        private Flowchart BuildFlowchart(JsonObject root)
        {
            var activities = _activities.Select(a => a.Deserialize<ActivityNode>(DefinitionJson.Options)!).ToList();
            var connections = _connections.Select(c => new Connection(new Endpoint(c.From, c.Port), new Endpoint(c.To))).ToList();
            return new Flowchart
            {
                Type = ElsaFormat.Text(root["customProperties"]?[ElsaFormat.Key]?["type"]) ?? "Duban.Flowchart",
                Id = ElsaFormat.Text(root["id"]) ?? "flowchart",
                Activities = activities,
                Connections = connections,
            };
        }

        // ───── variables ─────

        private List<VariableDefinition> Variables()
        {
            var originals = _duban?["variables"]?.Deserialize<List<VariableDefinition>>(DefinitionJson.Options) ?? [];
            var list = new List<VariableDefinition>();
            foreach (var v in (document["variables"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var name = ElsaFormat.Text(v["name"]);
                if (string.IsNullOrWhiteSpace(name)) continue;
                var typeName = ElsaFormat.Text(v["typeName"]) ?? "Object";
                var value = ValueOf(v["value"], typeName);
                // Exported by Duban and unchanged in Elsa: the variable as it was (its exact JSON value).
                if (originals.FirstOrDefault(o => o.Name == name) is { } original && ElsaExporter.VariableText(original.Value) == ElsaFormat.Text(v["value"]))
                    list.Add(original);
                else
                    list.Add(new VariableDefinition { Name = name, TypeName = typeName, Value = value });
            }
            return list;
        }

        private static JsonNode? ValueOf(JsonNode? value, string typeName)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var text)) return value?.DeepClone();
            var type = typeName.Split(',')[0].Trim();
            switch (type)
            {
                case "String" or "System.String": return text;
                case "Boolean" or "System.Boolean": return bool.TryParse(text, out var b) ? b : text;
                case "Int32" or "Int64" or "Int16" or "Double" or "Single" or "Decimal" or "Number":
                    return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                        ? (d == Math.Floor(d) && Math.Abs(d) < 1e15 ? JsonValue.Create((long)d) : JsonValue.Create(d)) : text;
            }
            try { return JsonNode.Parse(text); }
            catch (JsonException) { return text; }
        }

        // ───── start and connections ─────

        private static string? StartOf(JsonObject root, JsonArray activities, List<(string From, string Port, string To)> connections)
        {
            var nodes = activities.OfType<JsonObject>().ToList();
            if (root["start"] is JsonNode start)
                return ElsaFormat.Text(start) ?? ElsaFormat.Text(start["id"]);
            return nodes.FirstOrDefault(a => Type(a) == "Elsa.Start" || Type(a) == ActivityTypes.Start) is { } s ? Id(s)
                : nodes.FirstOrDefault(a => CanStart(a)) is { } c ? Id(c)
                : nodes.FirstOrDefault(a => connections.All(x => x.To != Id(a))) is { } r ? Id(r)
                : nodes.Select(Id).FirstOrDefault();
        }

        private static bool CanStart(JsonObject a) =>
            a["canStartWorkflow"]?.GetValueKind() == JsonValueKind.True || a["customProperties"]?["canStartWorkflow"]?.GetValueKind() == JsonValueKind.True;

        private static List<(string From, string Port, string To)> Connections(JsonObject flowchart)
        {
            var list = new List<(string, string, string)>();
            foreach (var c in (flowchart["connections"] as JsonArray ?? []).OfType<JsonObject>())
            {
                // Elsa 3.0 wrote "source": "id", "sourcePort"; later versions "source": { "activity", "port" }.
                var from = ElsaFormat.Text(c["source"]) ?? ElsaFormat.Text(c["source"]?["activity"]);
                var to = ElsaFormat.Text(c["target"]) ?? ElsaFormat.Text(c["target"]?["activity"]);
                var port = ElsaFormat.Text(c["sourcePort"]) ?? ElsaFormat.Text(c["source"]?["port"]) ?? PortNames.Done;
                if (from is not null && to is not null) list.Add((from, port, to));
            }
            return list;
        }

        // ───── activities ─────

        private void MapActivity(JsonObject elsa, List<(string From, string Port, string To)> connections)
        {
            var id = Id(elsa);
            var type = Type(elsa) ?? "";
            var label = ElsaFormat.Text(elsa["metadata"]?["displayText"]) is { Length: > 0 } shown ? shown : ElsaFormat.Text(elsa["name"]) ?? id;
            void Problem(string message) => _problems.Add(new(id, $"「{label}」（{type}）：{message}"));

            if (elsa["customProperties"]?["mergeMode"] is { } merge && ElsaFormat.Text(merge) is { } mode) _mergeModes[id] = mode;

            // Exported by Duban and not edited in Elsa since: the node as it was, where Elsa has it now.
            if (elsa["customProperties"]?[ElsaFormat.Key] is JsonObject mark && mark["original"] is JsonObject original
                && ElsaFormat.Text(mark["fingerprint"]) == ElsaFormat.Fingerprint(elsa))
            {
                var node = (JsonObject)original.DeepClone();
                if (elsa["metadata"]?["designer"] is JsonObject designer)
                    ((node["metadata"] ??= new JsonObject()).AsObject())["designer"] = designer.DeepClone();
                _activities.Add(node);
                return;
            }

            if (type.StartsWith("Duban.", StringComparison.Ordinal))
            {
                if (!registry.Contains(type)) { Problem("督办没有这种节点"); return; }
                _activities.Add(Verbatim(elsa));
                return;
            }

            var inputs = new JsonObject();
            switch (type)
            {
                case "Elsa.Start" or "Elsa.End" when _depth > 0:
                    // The start or end of a nested flowchart: the container's entry or way out, a step that only passes on.
                    _activities.Add(PassThrough(elsa, label));
                    if (type == "Elsa.End") _innerEnds.Add(id);
                    return;
                case "Elsa.Start":
                    Add(ActivityTypes.Start, inputs, elsa, []);
                    return;
                case "Elsa.End" or "Elsa.Finish":
                    Add(ActivityTypes.End, inputs, elsa, []);
                    return;
                case "Elsa.WriteLine":
                    if (Expression(elsa, "text", Problem) is { } text) inputs["text"] = text;
                    Add(ActivityTypes.WriteLine, inputs, elsa, ["text"]);
                    return;
                case "Elsa.FlowDecision":
                    if (Expression(elsa, "condition", Problem, boolean: true) is { } condition) inputs["condition"] = condition;
                    else inputs["condition"] = Literal(false, "Boolean");
                    Add(ActivityTypes.Decision, inputs, elsa, ["condition"]);
                    return;
                case "Elsa.FlowSwitch":
                    if (Switch(elsa, Problem) is { } cases) inputs["cases"] = cases;
                    Add(ActivityTypes.Switch, inputs, elsa, ["cases", "mode"]);
                    return;
                case "Elsa.FlowFork":
                    if (Literal(elsa["branches"]) is JsonArray branches && branches.Count > 0) inputs["branches"] = Literal(branches, "Object");
                    Add(ActivityTypes.Fork, inputs, elsa, ["branches"]);
                    return;
                case "Elsa.FlowJoin":
                    var joinMode = ElsaFormat.Text(Literal(elsa["mode"])) ?? "WaitAny";
                    var dubanMode = joinMode switch { "WaitAll" => JoinActivity.WaitAll, "WaitAllActive" => JoinActivity.WaitAllActive, "WaitAny" => JoinActivity.WaitAny, _ => null };
                    if (dubanMode is null) { Problem($"汇聚方式「{joinMode}」督办没有"); return; }
                    inputs["mode"] = Literal(dubanMode, "String");
                    Add(ActivityTypes.Join, inputs, elsa, ["mode"]);
                    return;
                case "Elsa.Delay" or "Elsa.Timer":
                    var spanInput = type == "Elsa.Delay" ? "timeSpan" : "interval";
                    if (type == "Elsa.Timer" && (CanStart(elsa) || connections.All(c => c.To != id)))
                    {
                        Problem("按周期触发流程的定时器在督办中请改用「定期任务」（定期发起流程）");
                        return;
                    }
                    if (Duration(Literal(elsa[spanInput])) is not { } iso) { Problem($"等待时长（{spanInput}）须为固定的时长，如 00:05:00"); return; }
                    inputs["duration"] = Literal(iso, "String");
                    Add(ActivityTypes.Timer, inputs, elsa, [spanInput, "strategy", "autoBlockingThreshold"]);
                    return;
                case "Elsa.SetVariable":
                    var variable = ElsaFormat.Text(elsa["variable"]?["name"]) ?? VariableById(ElsaFormat.Text(elsa["variable"]?["id"]));
                    if (string.IsNullOrWhiteSpace(variable)) { Problem("没有指定变量"); return; }
                    inputs["variable"] = Literal(variable, "String");
                    if (Expression(elsa, "value", Problem) is { } value) inputs["value"] = value;
                    Add(ActivityTypes.SetVariable, inputs, elsa, ["variable", "value"]);
                    return;
                case "Elsa.Fault":
                    if (Expression(elsa, "message", Problem) is { } message) inputs["message"] = message;
                    if (ElsaFormat.Text(Literal(elsa["code"])) is { } code) inputs["code"] = Literal(code, "String");
                    Add(ActivityTypes.Fault, inputs, elsa, ["message", "code", "category", "faultType"]);
                    return;
                case "Elsa.FlowNode":
                    if (elsa["body"] is not JsonObject body) { _activities.Add(PassThrough(elsa, label)); _exitOf[id] = (id, PortNames.Done); return; }
                    if (Type(body) == "Elsa.Flowchart") InlineFlowchart(elsa, label, body, Problem);
                    else InlineSequence(elsa, label, [body], Problem);
                    return;
                case "Elsa.Flowchart":
                    InlineFlowchart(elsa, label, elsa, Problem);
                    return;
                case "Elsa.Sequence":
                    InlineSequence(elsa, label, (elsa["activities"] as JsonArray ?? []).OfType<JsonObject>().ToList(), Problem);
                    return;
                case "Elsa.Fork":
                    InlineFork(elsa, label, Problem);
                    return;
                case "Elsa.HttpEndpoint" or "Elsa.SendHttpRequest" or "Elsa.WriteHttpResponse" or "Elsa.FlowSendHttpRequest":
                    Problem("HTTP 节点督办不支持：督办的事项由人在系统中发起和办理，不通过 HTTP 地址触发或调用外部接口");
                    return;
                case "Elsa.Cron" or "Elsa.StartAt":
                    Problem("定时触发督办不支持：按日程发起流程请在督办的「定期任务」中设置");
                    return;
                case "Elsa.Event" or "Elsa.PublishEvent":
                    Problem("事件节点督办不支持：督办的流程只在人工办理、定时器和子事项办结时继续");
                    return;
                case "Elsa.ParallelForEach" or "Elsa.ForEach" or "Elsa.For" or "Elsa.While":
                    Problem("循环节点督办不支持：逐项办理请改用「子流程（逐项）」，循环请用连线连回前面的节点");
                    return;
                default:
                    Problem("自定义节点督办没有对应的节点类型，无法运行");
                    return;
            }
        }

        // ───── containers: nested flowcharts, sequences and forks, laid out in place ─────

        private readonly HashSet<string> _innerEnds = [];

        /// <summary>
        /// A flowchart inside the flowchart (Elsa.Flowchart, or Elsa.FlowNode with one as its body) runs in Elsa as one
        /// activity: it starts at its own start, and its outgoing connection is taken when it completes — when none of its
        /// branches is left, or at its End. Laid out in place: the container becomes a step that passes on to the inner
        /// start (its id stays, so the connections into it stay), and its outgoing connections leave from the inner
        /// flowchart's way out — the join (等待所有走到的分支) where its open outcomes meet, or the one open outcome.
        /// </summary>
        private void InlineFlowchart(JsonObject elsa, string label, JsonObject flowchart, Action<string> problem)
        {
            var id = Id(elsa);
            var inner = flowchart["activities"] as JsonArray ?? [];
            var connections = Connections(flowchart);
            var start = StartOf(flowchart, inner, connections);
            _activities.Add(PassThrough(elsa, label));
            var first = _activities.Count;
            var ids = MapInner(inner.OfType<JsonObject>(), connections);
            PlaceBelow(elsa, _activities.Skip(first).ToList());
            var rewired = connections.Select(Rewired).ToList();
            _connections.AddRange(rewired);
            if (start is null) { _exitOf[id] = (id, PortNames.Done); return; }
            _connections.Add((id, PortNames.Done, start));

            var exits = ids.SelectMany(Exits).Where(e => !rewired.Any(c => c.From == e.Id && c.Port == e.Port)).Distinct().ToList();
            var ends = exits.Where(e => _innerEnds.Contains(e.Id)).ToList();
            if (ends.Count > 0 && exits.Count > ends.Count)
                problem("嵌套流程图中的「结束」会立即结束该流程图并取消其中其他分支，督办无法照此运行；请让该流程图的每条分支都连到同一个「结束」，或去掉「结束」");
            else if (exits.Count == 0)
                problem("嵌套流程图没有出口（每条分支都连回前面），它永远不会完成");
            else
                _exitOf[id] = WayOut(id, label, exits, JoinActivity.WaitAllActive);
        }

        /// <summary>Elsa.Sequence: its activities one after the other; the sequence completes after the last (or at an End).</summary>
        private void InlineSequence(JsonObject elsa, string label, IReadOnlyList<JsonObject> children, Action<string> problem)
        {
            var id = Id(elsa);
            _activities.Add(PassThrough(elsa, label));
            var ids = MapInner(children, []);
            IReadOnlyList<(string Id, string Port)> previous = [(id, PortNames.Done)];
            foreach (var child in ids)
            {
                if (previous.Any(p => _innerEnds.Contains(p.Id))) { problem("顺序执行中「结束」之后还有节点，它们永远不会运行"); return; }
                _connections.AddRange(previous.Select(p => (p.Id, p.Port, child)));
                previous = Exits(child);
            }
            if (previous.Count == 0) { problem("顺序执行的最后一个节点没有出口"); return; }
            _exitOf[id] = WayOut(id, label, previous.ToList(), JoinActivity.WaitAllActive);
        }

        /// <summary>
        /// Elsa.Fork (branches as activities): all branches start at once; the fork completes when all have completed
        /// (WaitAll) or at the first (WaitAny, the others cancelled) — a 并行分支 to the branches and a 汇聚 behind them.
        /// </summary>
        private void InlineFork(JsonObject elsa, string label, Action<string> problem)
        {
            var id = Id(elsa);
            var joinMode = ElsaFormat.Text(elsa["joinMode"]?["expression"]?["value"]) ?? ElsaFormat.Text(elsa["joinMode"]) ?? "WaitAll";
            var mode = joinMode switch { "WaitAll" => JoinActivity.WaitAllActive, "WaitAny" => JoinActivity.WaitAny, _ => null };
            if (mode is null) { problem($"并行方式「{joinMode}」督办没有"); return; }
            _activities.Add(PassThrough(elsa, label));
            var ids = MapInner((elsa["branches"] as JsonArray ?? []).OfType<JsonObject>(), []);
            _connections.AddRange(ids.Select(b => (id, PortNames.Done, b)));
            var exits = ids.SelectMany(Exits).ToList();
            if (ids.Any(b => _innerEnds.Contains(b))) problem("并行分支中的「结束」会结束整个并行，督办无法照此运行");
            else _exitOf[id] = exits.Count == 0 ? (id, PortNames.Done) : WayOut(id, label, exits, mode);
        }

        /// <summary>
        /// A nested flowchart has a canvas of its own in Elsa Studio; laid out in place, its nodes keep their arrangement
        /// and go below the container's node, so they do not fall on the outer nodes.
        /// </summary>
        private static void PlaceBelow(JsonObject container, List<JsonObject> nodes)
        {
            static (double X, double Y)? At(JsonNode? node) =>
                node?["metadata"]?["designer"]?["position"] is JsonObject p && p["x"] is JsonValue x && p["y"] is JsonValue y
                    ? (x.GetValue<double>(), y.GetValue<double>()) : null;
            var placed = nodes.Where(n => At(n) is not null).ToList();
            if (At(container) is not { } origin || placed.Count == 0) return;
            var minX = placed.Min(n => At(n)!.Value.X);
            var minY = placed.Min(n => At(n)!.Value.Y);
            foreach (var node in placed)
            {
                var (x, y) = At(node)!.Value;
                node["metadata"]!["designer"]!["position"] = new JsonObject { ["x"] = origin.X + x - minX, ["y"] = origin.Y + 120 + y - minY };
            }
        }

        /// <summary>Maps a container's activities (one level in); the ids of the ones mapped.</summary>
        private List<string> MapInner(IEnumerable<JsonObject> activities, List<(string From, string Port, string To)> connections)
        {
            var ids = new List<string>();
            _depth++;
            foreach (var node in activities)
            {
                if (_activities.Any(a => Id(a) == Id(node))) { _problems.Add(new(Id(node), $"节点 id「{Id(node)}」在流程中重复")); continue; }
                MapActivity(node, connections);
                ids.Add(Id(node));
            }
            _depth--;
            return ids;
        }

        /// <summary>Where an activity is left from: a container's way out, or each port of the activity.</summary>
        private IReadOnlyList<(string Id, string Port)> Exits(string id)
        {
            if (_exitOf.TryGetValue(id, out var exit)) return [exit];
            if (_activities.FirstOrDefault(a => Id(a) == id) is not { } json) return [];
            var node = json.Deserialize<ActivityNode>(DefinitionJson.Options)!;
            if (!registry.Contains(node.Type)) return [(id, PortNames.Done)];
            try { return registry.Get(node.Type).Ports(node).Select(p => (id, p)).ToList(); }
            catch (Exception e) when (e is JsonException or InvalidOperationException) { return [(id, PortNames.Done)]; }
        }

        /// <summary>One way out of several: a join in the given mode (or the one exit itself).</summary>
        private (string Id, string Port) WayOut(string containerId, string label, List<(string Id, string Port)> exits, string mode)
        {
            if (exits.Count == 1) return exits[0];
            var joinId = Unique($"{containerId}-done");
            _activities.Add(Node(joinId, ActivityTypes.Join, $"汇聚：{label}", new() { ["mode"] = Literal(mode, "String") }));
            _connections.AddRange(exits.Select(e => (e.Id, e.Port, joinId)));
            return (joinId, PortNames.Done);
        }

        /// <summary>A connection out of a container leaves from the container's way out.</summary>
        private (string From, string Port, string To) Rewired((string From, string Port, string To) c) =>
            _exitOf.TryGetValue(c.From, out var exit) ? (exit.Id, exit.Port, c.To) : c;

        /// <summary>A step that only passes on (a 并行分支 with no branches of its own), where Elsa has a container's start.</summary>
        private static JsonObject PassThrough(JsonObject elsa, string label)
        {
            var node = Node(Id(elsa), ActivityTypes.Fork, label, new());
            if (Metadata(elsa) is { } metadata) node["metadata"] = metadata;
            return node;
        }

        private string? VariableById(string? id) =>
            id is null ? null : (document["variables"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(v => ElsaFormat.Text(v["id"]) == id).Select(v => ElsaFormat.Text(v["name"])).FirstOrDefault();

        private void Add(string dubanType, JsonObject inputs, JsonObject elsa, string[] consumed)
        {
            var node = new JsonObject { ["id"] = Id(elsa), ["type"] = dubanType };
            var name = ElsaFormat.Text(elsa["metadata"]?["displayText"]) is { Length: > 0 } shown ? shown : ElsaFormat.Text(elsa["name"]);
            if (name is not null) node["name"] = name;
            foreach (var (key, value) in inputs) node[key] = value?.DeepClone();
            // Duban's own inputs an export carried on an Elsa activity (a Start's form, an End's result) stay with the node;
            // Elsa's settings Duban has no use for (a Delay's strategy, a Fault's category) do not.
            foreach (var (key, value) in elsa)
                if (_fromDuban && !Bookkeeping.Contains(key) && !consumed.Contains(key) && !node.ContainsKey(key) && value is JsonObject o && o.ContainsKey("expression"))
                    node[key] = value.DeepClone();
            if (Metadata(elsa) is { } metadata) node["metadata"] = metadata;
            _activities.Add(node);
        }

        private JsonObject Verbatim(JsonObject elsa)
        {
            var node = new JsonObject();
            foreach (var (key, value) in elsa)
                if (key is not ("version" or "nodeId" or "customProperties" or "canStartWorkflow" or "runAsynchronously")) node[key] = value?.DeepClone();
            return node;
        }

        private static JsonObject? Metadata(JsonObject elsa)
        {
            if (elsa["metadata"] is not JsonObject metadata) return null;
            var copy = (JsonObject)metadata.DeepClone();
            copy.Remove("displayText");
            return copy.Count == 0 ? null : copy;
        }

        // ───── expressions ─────

        private JsonObject? Expression(JsonObject elsa, string input, Action<string> problem, bool boolean = false)
        {
            if (elsa[input] is not JsonObject wrapper || wrapper["expression"] is not JsonObject expression) return null;
            var typeName = ElsaFormat.Text(wrapper["typeName"]) ?? "Object";
            var kind = ElsaFormat.Text(expression["type"]);
            var value = expression["value"];
            switch (kind)
            {
                case "Literal" or "Object" or null:
                    if (boolean && ElsaFormat.Text(value) is { } flag && bool.TryParse(flag, out var b)) return Literal(b, "Boolean");
                    return Literal(value?.DeepClone(), typeName.Contains('.') ? "Object" : typeName);
                case "JavaScript":
                    if (ElsaFormat.Text(value) is not { } script) return null;
                    var rewritten = _fromDuban ? new ElsaScripts.Rewritten(script, []) : ElsaScripts.Rewrite(script, _variableNames);
                    foreach (var fn in rewritten.Unknown)
                        problem($"「{input}」的脚本用到 Elsa 的函数 {fn}()，督办没有（督办的脚本可用 vars、item、form、user）");
                    return new JsonObject
                    {
                        ["typeName"] = typeName.Contains('.') ? "Object" : typeName,
                        ["expression"] = new JsonObject { ["type"] = ExpressionTypes.JavaScript, ["value"] = rewritten.Script },
                    };
                case "Variable":
                    return new JsonObject
                    {
                        ["typeName"] = typeName.Contains('.') ? "Object" : typeName,
                        ["expression"] = new JsonObject { ["type"] = ExpressionTypes.JavaScript, ["value"] = $"vars.{ElsaFormat.Text(value?["name"]) ?? ElsaFormat.Text(value)}" },
                    };
                case "CSharp":
                    problem($"「{input}」使用了 C# 表达式，督办只支持固定值和 JavaScript");
                    return null;
                default:
                    problem($"「{input}」使用了 {kind} 表达式，督办只支持固定值和 JavaScript");
                    return null;
            }
        }

        private JsonObject? Switch(JsonObject elsa, Action<string> problem)
        {
            if (ElsaFormat.Text(Literal(elsa["mode"])) is "MatchAny")
                problem("多路分支设为“走所有成立的分支”（MatchAny），督办的多路分支只走第一个成立的分支");
            var cases = new JsonArray();
            foreach (var c in (elsa["cases"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var label = ElsaFormat.Text(c["label"]) ?? "";
                var condition = c["condition"] as JsonObject;
                var kind = ElsaFormat.Text(condition?["type"]);
                string script;
                if (kind == "JavaScript") script = ElsaFormat.Text(condition?["value"]) ?? "false";
                else if (kind is "Literal" or null) script = condition?["value"] switch
                {
                    JsonValue v when v.GetValueKind() is JsonValueKind.True => "true",
                    JsonValue v when ElsaFormat.Text(v) is { } s && bool.TryParse(s, out var b) => b ? "true" : "false",
                    _ => "false",
                };
                else { problem($"分支「{label}」的条件使用了 {kind} 表达式，督办只支持固定值和 JavaScript"); continue; }
                if (kind == "JavaScript" && !_fromDuban)
                {
                    var rewritten = ElsaScripts.Rewrite(script, _variableNames);
                    foreach (var fn in rewritten.Unknown) problem($"分支「{label}」的条件用到 Elsa 的函数 {fn}()，督办没有");
                    script = rewritten.Script;
                }
                cases.Add(new JsonObject { ["label"] = label, ["condition"] = script });
            }
            return Literal(cases, "Object");
        }

        /// <summary>The literal value of an input (a JSON text such as <c>"[\"a\"]"</c> read as JSON).</summary>
        private static JsonNode? Literal(JsonNode? wrapper)
        {
            var value = wrapper?["expression"]?["value"];
            if (ElsaFormat.Text(value) is { } s && s.TrimStart().StartsWith('['))
            {
                try { return JsonNode.Parse(s); }
                catch (JsonException) { return value; }
            }
            return value;
        }

        private static JsonObject Literal(JsonNode? value, string typeName) =>
            new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = ExpressionTypes.Literal, ["value"] = value?.DeepClone() } };

        /// <summary>Elsa's TimeSpan ("00:05:00", "1.00:00:00") as ISO 8601 ("PT5M", "P1D"); an ISO text stays.</summary>
        private static string? Duration(JsonNode? value)
        {
            if (ElsaFormat.Text(value) is not { } text) return null;
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)) return XmlConvert.ToString(span);
            try { XmlConvert.ToTimeSpan(text); return text; }
            catch (FormatException) { return null; }
        }

        private string Unique(string id)
        {
            var candidate = id;
            for (var i = 2; _activities.Any(a => Id(a) == candidate); i++) candidate = $"{id}{i}";
            return candidate;
        }

        private static JsonObject Node(string id, string type, string name, JsonObject inputs)
        {
            var node = new JsonObject { ["id"] = id, ["type"] = type, ["name"] = name };
            foreach (var (key, value) in inputs) node[key] = value?.DeepClone();
            return node;
        }

        private static string Id(JsonObject node) => ElsaFormat.Text(node["id"]) ?? "";
        private static string? Type(JsonObject node) => ElsaFormat.Text(node["type"]);
    }
}
