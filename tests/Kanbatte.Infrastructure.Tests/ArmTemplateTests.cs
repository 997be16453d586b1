namespace Kanbatte.Infrastructure.Tests;

/// <summary>The little ARM expression evaluator the name checks rely on, on hand-written templates.</summary>
public sealed class ArmTemplateTests
{
    private const string Template = """
        {
          "parameters": {
            "withDefault": { "type": "string", "defaultValue": "[variables('greeting')]" },
            "fromDeployment": { "type": "string" }
          },
          "variables": {
            "greeting": "hello",
            "names": { "items": [ "first", "[format('{0}-{1}', 'second', variables('greeting'))]" ] }
          },
          "resources": [
            {
              "type": "Microsoft.Resources/deployments",
              "name": "inner",
              "properties": {
                "parameters": { "given": { "value": "[variables('names').items[1]]" } },
                "template": {
                  "parameters": { "given": { "type": "string" } },
                  "resources": {
                    "thing": { "type": "Example/things", "name": "[parameters('given')]", "properties": { "text": "It''s" } }
                  },
                  "outputs": {
                    "echo": { "type": "string", "value": "[parameters('given')]" },
                    "address": { "type": "string", "value": "[reference('thing').address]" }
                  }
                }
              }
            }
          ],
          "outputs": {
            "escaped": { "type": "string", "value": "[[not an expression]" },
            "defaulted": { "type": "string", "value": "[parameters('withDefault')]" },
            "unknown": { "type": "string", "value": "[parameters('fromDeployment')]" },
            "fromModule": { "type": "string", "value": "[reference(resourceId('Microsoft.Resources/deployments', 'inner'), '2025-04-01').outputs.echo.value]" },
            "opaqueFromModule": { "type": "string", "value": "[reference(resourceId('Microsoft.Resources/deployments', 'inner')).outputs.address.value]" },
            "partlyKnown": { "type": "string", "value": "[format('{0}/{1}', uniqueString('x'), variables('greeting'))]" },
            "quoted": { "type": "string", "value": "[concat('It''s', ' ', variables('greeting'))]" }
          }
        }
        """;

    private static readonly ArmTemplate Main = ArmTemplate.Parse(Template);

    [Fact]
    public void Literals_variables_and_defaults_evaluate_to_values()
    {
        Assert.Equal("[not an expression]", Main.Output("escaped"));
        Assert.Equal("hello", Main.Output("defaulted"));
        Assert.Equal("It's hello", Main.Output("quoted"));
    }

    [Fact]
    public void Module_parameters_and_outputs_evaluate_in_the_right_template()
    {
        Assert.Equal("second-hello", Main.Output("fromModule"));
        var (scope, thing) = Assert.Single(Main.AllResources(), r => ArmTemplate.Type(r.Resource) == "Example/things");
        Assert.Equal("second-hello", scope.Evaluate(thing, "name"));
        Assert.Equal("It''s", scope.Evaluate(thing, "properties.text")); // plain JSON strings are not expressions
    }

    [Fact]
    public void What_only_Azure_knows_stays_opaque_and_says_where_it_comes_from()
    {
        Assert.Equal(new Opaque("parameters('fromDeployment')"), Main.Output("unknown"));
        Assert.Equal(new Opaque("reference(Example/things).address"), Main.Output("opaqueFromModule"));
        Assert.Equal(new Opaque("{uniqueString(x)}/hello"), Main.Output("partlyKnown"));
    }

    // What Bicep makes of a for-expression, a ternary, a lambda and a conditional module parameter.
    private const string Loops = """
        {
          "parameters": {
            "list": { "type": "string", "defaultValue": "" },
            "unknown": { "type": "array" }
          },
          "variables": {
            "copy": [
              {
                "name": "indexed",
                "count": "[length(variables('items'))]",
                "input": { "name": "[format('item{0}', copyIndex('indexed'))]", "value": "[variables('items')[copyIndex('indexed')]]" }
              },
              { "name": "unsized", "count": "[length(parameters('unknown'))]", "input": "[copyIndex('unsized')]" }
            ],
            "items": "[if(empty(parameters('list')), createArray(), filter(map(split(parameters('list'), ','), lambda('x', trim(lambdaVariables('x')))), lambda('y', not(empty(lambdaVariables('y'))))))]",
            "all": "[concat(createArray(createObject('name', 'fixed', 'value', 'one')), variables('indexed'))]"
          },
          "resources": {
            "inner": {
              "type": "Microsoft.Resources/deployments",
              "name": "inner",
              "properties": {
                "parameters": { "given": "[if(empty(parameters('list')), createObject('value', 'none'), createObject('value', 'some'))]" },
                "template": {
                  "parameters": { "given": { "type": "string" } },
                  "outputs": { "echo": { "type": "string", "value": "[parameters('given')]" } }
                }
              }
            }
          },
          "outputs": {
            "all": { "type": "array", "value": "[variables('all')]" },
            "unsized": { "type": "array", "value": "[variables('unsized')]" },
            "fromModule": { "type": "string", "value": "[reference(resourceId('Microsoft.Resources/deployments', 'inner')).outputs.echo.value]" }
          }
        }
        """;

    private static Dictionary<string, object?> Setting(string name, string value) => new() { ["name"] = name, ["value"] = value };

    [Fact]
    public void Copy_loops_lambdas_and_conditions_evaluate_with_the_deployments_parameters()
    {
        var deployed = ArmTemplate.Parse(Loops, new Dictionary<string, object?> { ["list"] = " a, b," });
        Assert.Equal(new List<object?> { Setting("fixed", "one"), Setting("item0", "a"), Setting("item1", "b") }, deployed.Output("all"));
        Assert.Equal("some", deployed.Output("fromModule"));
    }

    [Fact]
    public void Parameters_not_given_keep_their_defaults_and_a_loop_of_unknown_length_stays_opaque()
    {
        var defaults = ArmTemplate.Parse(Loops);
        Assert.Equal(new List<object?> { Setting("fixed", "one") }, defaults.Output("all"));
        Assert.Equal("none", defaults.Output("fromModule"));
        Assert.Equal(new Opaque("variables('unsized')"), defaults.Output("unsized"));
    }

    [Fact]
    public void Union_merges_objects_a_later_value_winning_and_arrays_without_repeats()
    {
        const string template = """
            {
              "outputs": {
                "tags": { "type": "object", "value": "[union(createObject('env', 'dev', 'kind', 'a'), createObject('kind', 'b'))]" },
                "list": { "type": "array", "value": "[union(createArray('x', 'y'), createArray('y', 'z'))]" }
              }
            }
            """;
        var parsed = ArmTemplate.Parse(template);
        Assert.Equal(new Dictionary<string, object?> { ["env"] = "dev", ["kind"] = "b" }, parsed.Output("tags"));
        Assert.Equal(new List<object?> { "x", "y", "z" }, parsed.Output("list"));
    }
}
