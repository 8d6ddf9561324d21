using System.Buffers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Cdc.Domain;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.OrdersCdcPublisher;

public class AttributeValueJsonTests
{
    /// <summary>Reads the attribute as DynamoDB sends it (wire JSON) and returns our plain-JSON rendering.</summary>
    private static string Convert(string attributeJson)
    {
        var value = JsonSerializer.Deserialize(attributeJson, EventJsonContext.Default.AttributeValue)!;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) AttributeValueJson.WriteValue(writer, value, "a");
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [TestCase("""{"S":"hello"}""", "\"hello\"")]
    [TestCase("""{"S":""}""", "\"\"")]
    [TestCase("""{"N":"19.99"}""", "19.99")]
    [TestCase("""{"N":"123456789012345678901234567890"}""", "123456789012345678901234567890")]
    [TestCase("""{"N":"-0.5"}""", "-0.5")]
    [TestCase("""{"N":"1E+3"}""", "1E+3")]
    [TestCase("""{"N":"007"}""", "7")]
    [TestCase("""{"B":"dGhpcyB0ZXh0IGlzIGJhc2U2NC1lbmNvZGVk"}""", "\"dGhpcyB0ZXh0IGlzIGJhc2U2NC1lbmNvZGVk\"")]
    [TestCase("""{"BOOL":true}""", "true")]
    [TestCase("""{"BOOL":false}""", "false")]
    [TestCase("""{"NULL":true}""", "null")]
    [TestCase("""{"SS":["Giraffe","Hippo","Zebra"]}""", """["Giraffe","Hippo","Zebra"]""")]
    [TestCase("""{"NS":["42.2","-19","7.5","3.14","123456789012345678901234567890"]}""", "[42.2,-19,7.5,3.14,123456789012345678901234567890]")]
    [TestCase("""{"BS":["U3Vubnk=","UmFpbnk=","U25vd3k="]}""", """["U3Vubnk=","UmFpbnk=","U25vd3k="]""")]
    [TestCase("""{"L":[{"S":"Cookies"},{"N":"3.14159"},{"NULL":true}]}""", """["Cookies",3.14159,null]""")]
    [TestCase("""{"M":{"Name":{"S":"Joe"},"Age":{"N":"35"}}}""", """{"Name":"Joe","Age":35}""")]
    [TestCase("""{"L":[]}""", "[]")]
    [TestCase("""{"M":{}}""", "{}")]
    public void Converts_every_attribute_type(string attribute, string expected)
    {
        Convert(attribute).Should().Be(expected);
    }

    [Test]
    public void Nested_maps_and_lists_keep_structure_order_and_exact_numbers()
    {
        var json = Convert("""
            {"M":{
              "address":{"M":{"street":{"S":"1 Main St"},"zip":{"S":"02110"},"geo":{"L":[{"N":"42.3601"},{"N":"-71.0589"}]}}},
              "lines":{"L":[{"M":{"sku":{"S":"B0"},"qty":{"N":"2"},"unit":{"N":"0.10"},"flags":{"SS":["fragile"]}}},{"L":[{"BOOL":true},{"B":"AAEC"}]}]},
              "big":{"N":"99999999999999999999999999999999999999"}
            }}
            """);

        json.Should().Be(
            """{"address":{"street":"1 Main St","zip":"02110","geo":[42.3601,-71.0589]},"lines":[{"sku":"B0","qty":2,"unit":0.10,"flags":["fragile"]},[true,"AAEC"]],"big":99999999999999999999999999999999999999}""");
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.GetProperty("big").GetRawText().Should().Be("99999999999999999999999999999999999999");
    }

    [Test]
    public void Strings_are_escaped_as_json_requires()
    {
        var json = Convert("""{"S":"quote \" backslash \\ newline \n tab \t"}""");

        JsonDocument.Parse(json).RootElement.GetString().Should().Be("quote \" backslash \\ newline \n tab \t");
    }

    [Test]
    public void A_value_without_a_type_member_is_refused_with_its_path()
    {
        var act = () => Convert("""{"M":{"customer":{"M":{"name":{}}}}}""");

        act.Should().Throw<InvalidAttributeValueException>().Which.Path.Should().Be("a.customer.name");
    }

    [TestCase("""{"N":"twelve"}""")]
    [TestCase("""{"NS":["1","NaN"]}""")]
    public void A_number_that_is_not_a_number_is_refused(string attribute)
    {
        var act = () => Convert(attribute);

        act.Should().Throw<InvalidAttributeValueException>().WithMessage("*is not a number*");
    }
}
