using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Definitions;

public class DefinitionJsonTests
{
    /// <summary>
    /// A procedure as the designer saves it, in Elsa 3's shape: root flowchart, activities with typed inputs
    /// (<c>{ typeName, expression: { type, value } }</c>) and designer metadata, connections from a port to an activity.
    /// The 承办 node also carries the bookkeeping Elsa 3 writes on every activity (nodeId, version, customProperties).
    /// </summary>
    public const string ElsaShapedSample = """
        {
          "definitionId": "demo-supervision",
          "name": "督办事项办理",
          "description": "厅办公室交办、市局承办、督查员审核",
          "version": 3,
          "variables": [ { "name": "returns", "typeName": "Int32", "value": 0 } ],
          "forms": [
            {
              "id": "f_start",
              "name": "立项登记",
              "fields": [
                { "key": "subject", "label": "事项名称", "type": "text", "required": true, "multiple": false },
                { "key": "amount", "label": "涉及金额", "type": "number", "required": false, "multiple": false, "min": 0 },
                { "key": "units", "label": "承办单位", "type": "unit", "required": true, "multiple": true }
              ]
            }
          ],
          "root": {
            "type": "Duban.Flowchart",
            "id": "flowchart",
            "activities": [
              {
                "id": "start", "type": "Duban.Start", "name": "开始",
                "metadata": { "designer": { "position": { "x": 80, "y": 200 } } },
                "form": { "typeName": "String", "expression": { "type": "Literal", "value": "f_start" } },
                "title": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'关于' + item.subject + '的督办'" } }
              },
              {
                "id": "cb", "type": "Duban.UserTask", "name": "承办",
                "nodeId": "Workflow1:cb", "version": 1, "customProperties": { "canStartWorkflow": false },
                "metadata": { "designer": { "position": { "x": 300, "y": 200 }, "size": { "width": 160, "height": 60 } } },
                "assignee": { "typeName": "Object", "expression": { "type": "Literal", "value": { "type": "field", "field": "units" } } },
                "countersign": { "typeName": "String", "expression": { "type": "Literal", "value": "all" } },
                "outcomes": { "typeName": "String[]", "expression": { "type": "Literal", "value": [ "提交" ] } }
              },
              {
                "id": "sh", "type": "Duban.UserTask", "name": "审核",
                "assignee": { "typeName": "Object", "expression": { "type": "Literal", "value": { "type": "role", "role": "督查员" } } },
                "outcomes": { "typeName": "String[]", "expression": { "type": "Literal", "value": [ "通过", "退回" ] } }
              },
              {
                "id": "big", "type": "Duban.Decision", "name": "金额较大？",
                "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "item.amount >= 10000" } }
              },
              {
                "id": "ld", "type": "Duban.UserTask", "name": "领导审批",
                "assignee": { "typeName": "Object", "expression": { "type": "Literal", "value": { "type": "unitLeader", "unitIds": [ "office" ] } } }
              },
              {
                "id": "end", "type": "Duban.End", "name": "办结",
                "result": { "typeName": "String", "expression": { "type": "Literal", "value": "办结" } }
              }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "cb", "port": "In" } },
              { "source": { "activity": "cb", "port": "提交" }, "target": { "activity": "sh" } },
              { "source": { "activity": "sh", "port": "退回" }, "target": { "activity": "cb" } },
              { "source": { "activity": "sh", "port": "通过" }, "target": { "activity": "big" } },
              { "source": { "activity": "big", "port": "True" }, "target": { "activity": "ld" } },
              { "source": { "activity": "big", "port": "False" }, "target": { "activity": "end" } },
              { "source": { "activity": "ld", "port": "提交" }, "target": { "activity": "end" } }
            ]
          },
          "options": { "numberPrefix": "鲁司督" }
        }
        """;

    [Fact]
    public void Parse_serialize_parse_gives_the_same_definition()
    {
        var first = DefinitionJson.Parse(ElsaShapedSample);
        var json = DefinitionJson.Serialize(first);
        var second = DefinitionJson.Parse(json);

        Assert.Equal(json, DefinitionJson.Serialize(second));
        Assert.Equal(DefinitionJson.Serialize(first, indented: true), DefinitionJson.Serialize(second, indented: true));
        // Records with lists compare by reference; compare what they hold.
        Assert.Equal((first.DefinitionId, first.Name, first.Description, first.Version), (second.DefinitionId, second.Name, second.Description, second.Version));
        Assert.Equal(first.Root.Connections, second.Root.Connections);
        Assert.Equal(first.Root.Activities.Select(a => (a.Id, a.Type, a.Name)), second.Root.Activities.Select(a => (a.Id, a.Type, a.Name)));
        Assert.Equal(first.Forms.SelectMany(f => f.Fields), second.Forms.SelectMany(f => f.Fields));
    }

    [Fact]
    public void Serialized_json_keeps_the_elsa_shape_and_every_input_and_metadata()
    {
        var written = JsonNode.Parse(DefinitionJson.Serialize(DefinitionJson.Parse(ElsaShapedSample)))!;
        var original = JsonNode.Parse(ElsaShapedSample)!;

        Assert.True(JsonNode.DeepEquals(original["root"], written["root"]), written["root"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(original["variables"], written["variables"]));
        Assert.True(JsonNode.DeepEquals(original["options"], written["options"]));
        Assert.Equal("督办事项办理", (string?)written["name"]);
        Assert.Contains("\"name\":\"督办事项办理\"", DefinitionJson.Serialize(DefinitionJson.Parse(ElsaShapedSample)));   // Chinese unescaped
    }

    [Fact]
    public void Parsed_inputs_read_as_literals_and_scripts()
    {
        var definition = DefinitionJson.Parse(ElsaShapedSample);
        var cb = definition.Root.Find("cb")!;

        Assert.Equal(new AssigneeRule { Type = "field", Field = "units" }, cb.Literal<AssigneeRule>("assignee"));
        Assert.Equal("all", cb.LiteralString("countersign"));
        Assert.Equal(["提交"], cb.Literal<List<string>>("outcomes"));
        Assert.Equal(ExpressionTypes.JavaScript, definition.Root.Find("big")!.Input("condition")!.Expression!.Type);
        Assert.Equal(ExpressionTypes.JavaScript, definition.Root.Find("start")!.Input("title")!.Expression!.Type);
        Assert.Equal(new Connection(new Endpoint("start", "Done"), new Endpoint("cb", "In")), definition.Root.Connections[0]);
        Assert.Equal(300, (int)cb.Metadata!["designer"]!["position"]!["x"]!);
    }

    [Fact]
    public void The_elsa_shaped_sample_is_valid_and_runs()
    {
        var definition = DefinitionJson.Parse(ElsaShapedSample);
        var validator = new DefinitionValidator(ActivityRegistry.CreateDefault(), new JintScriptEvaluator());

        Assert.Empty(validator.Validate(definition));

        var driver = new WorkflowDriver(definition);
        var started = driver.Start(TestOrganization.Wang, new JsonObject
        {
            ["subject"] = "违规收费整治", ["amount"] = 20000, ["units"] = new JsonArray("jinan", "qingdao"),
        });
        Assert.Equal("关于违规收费整治的督办", started.State.Title);
        Assert.Equal(0, (int)started.State.Variables["returns"]!);
        driver.Complete("cb", TestOrganization.JinanLiaison);
        driver.Complete("cb", TestOrganization.QingdaoLiaison);
        driver.Complete("sh", TestOrganization.Zhao, "通过");
        driver.Complete("ld", TestOrganization.Liu);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
        Assert.Equal("办结", driver.State.Result);
    }

    [Fact]
    public void Workflow_state_round_trips_through_json()
    {
        var driver = new WorkflowDriver(DefinitionJson.Parse(ElsaShapedSample));
        driver.Start(TestOrganization.Wang, new JsonObject { ["subject"] = "甲", ["units"] = new JsonArray("jinan") });

        var json = JsonSerializer.Serialize(driver.State, DefinitionJson.Options);

        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<WorkflowState>(json, DefinitionJson.Options), DefinitionJson.Options));
        Assert.Equal(json, JsonSerializer.Serialize(driver.State.Clone(), DefinitionJson.Options));
    }
}
