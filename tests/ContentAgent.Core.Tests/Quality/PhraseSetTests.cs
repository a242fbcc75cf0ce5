using ContentAgent.Quality;

namespace ContentAgent.Tests.Quality;

public class PhraseSetTests
{
    private static readonly PhraseSet Set = new("very", "at the end of the day", "in today's world", "in today's fast-paced world");

    [Theory]
    [InlineData("It is VERY good.", true)]
    [InlineData("Every team knows it.", false)]
    [InlineData("Delivery matters.", false)]
    [InlineData("At the end of the day, ship it.", true)]
    [InlineData("", false)]
    public void IsIn_Text_MatchesOnWordBoundariesIgnoringCase(string text, bool expected)
    {
        Assert.Equal(expected, Set.IsIn(text));
    }

    [Fact]
    public void Count_SeveralMatches_CountsThemAndReportsTheFirstLongestPhrase()
    {
        var count = Set.Count("Every day, in today's fast-paced world, it is very very hard.", out var firstAt, out var first);

        Assert.Equal(3, count);
        Assert.Equal(11, firstAt);
        Assert.Equal("in today's fast-paced world", first);
    }

    [Fact]
    public void Count_NoMatch_ReturnsZeroAndNoPhrase()
    {
        var count = Set.Count("Plain words.", out var firstAt, out var first);

        Assert.Equal(0, count);
        Assert.Equal(-1, firstAt);
        Assert.Null(first);
    }
}
