using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Cdc.Domain;

namespace Pipelines.Tests.OrdersCdcPublisher;

public class DynamoNumberTests
{
    [TestCase("19.99")]
    [TestCase("0")]
    [TestCase("-0.5")]
    [TestCase("1E+3")]
    [TestCase("1e-7")]
    [TestCase("123456789012345678901234567890")]
    [TestCase("-9.9999999999999999999999999999999999999E+125")]
    [TestCase("0.000000000000000000000000000000000000001")]
    public void Valid_json_numbers_are_kept_character_for_character(string text)
    {
        DynamoNumber.TryToJson(text, out var json).Should().BeTrue();
        json.Should().BeSameAs(text, "the common case must not allocate or reformat");
    }

    [TestCase("+5", "5")]
    [TestCase("007", "7")]
    [TestCase("-007.50", "-7.50")]
    [TestCase("00", "0")]
    [TestCase(".5", "0.5")]
    [TestCase("-.5", "-0.5")]
    [TestCase("5.", "5")]
    [TestCase("+.25E+3", "0.25E+3")]
    public void Forms_json_does_not_allow_are_rewritten_to_the_same_value(string text, string expected)
    {
        DynamoNumber.TryToJson(text, out var json).Should().BeTrue();
        json.Should().Be(expected);
        decimal.Parse(json, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
            .Should().Be(decimal.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("1,000")]
    [TestCase(" 1")]
    [TestCase("1 ")]
    [TestCase("0x10")]
    [TestCase("1e")]
    [TestCase("1e+")]
    [TestCase(".")]
    [TestCase("-")]
    [TestCase("1.2.3")]
    public void Text_that_is_not_a_number_is_refused(string text)
    {
        DynamoNumber.TryToJson(text, out _).Should().BeFalse();
    }

    [TestCase("19.99")]
    [TestCase("0")]
    [TestCase("-0")]
    [TestCase("-0.000001")]
    [TestCase("1E+30")]
    [TestCase("1e-7")]
    [TestCase("99999999999999999999999999999999999999")]
    [TestCase("+5")]
    [TestCase("007")]
    [TestCase("00")]
    [TestCase(".5")]
    [TestCase("5.")]
    [TestCase("-.5e3")]
    [TestCase("")]
    [TestCase("-")]
    [TestCase("abc")]
    [TestCase("1e")]
    [TestCase("1e+")]
    [TestCase("1.2.3")]
    [TestCase(" 1")]
    [TestCase("1E+3x")]
    [TestCase("٣")] // a non-ASCII digit
    public void The_utf8_check_accepts_exactly_the_text_TryToJson_keeps_unchanged(string text)
    {
        var keptAsIs = DynamoNumber.TryToJson(text, out var json) && ReferenceEquals(json, text);

        DynamoNumber.IsJsonNumber(System.Text.Encoding.UTF8.GetBytes(text)).Should().Be(keptAsIs);
    }
}
