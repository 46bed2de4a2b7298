using WeOps.Activities.Inventory;
using WeOps.Activities.Ssh;

namespace WeOps.Activities.Tests.Ssh;

public sealed class TagFilterTests
{
    private static Host Tagged(string name, params string[] tags) => new(name, "10.0.0.1", 22, null, null, tags);

    [Fact]
    public void Parse_reads_terms_separated_by_plus_or_whitespace_with_negation()
    {
        var filter = TagFilter.Parse("tags: web+prod !env:staging");

        Assert.Equal(
            [new TagTerm(false, "web"), new TagTerm(false, "prod"), new TagTerm(true, "env:staging")],
            filter.Terms);
    }

    [Fact]
    public void Spaces_after_a_colon_belong_to_the_term()
    {
        Assert.Equal(TagFilter.Parse("tags: !env:staging").Terms, TagFilter.Parse("tags: !env: staging").Terms);
        Assert.Equal(TagFilter.Parse("tags:web").Terms, TagFilter.Parse("  TAGS:   web  ").Terms);
    }

    [Fact]
    public void Matches_needs_every_term_and_none_of_the_negated_ones()
    {
        var filter = TagFilter.Parse("tags: web+env:prod !canary");

        Assert.True(filter.Matches(Tagged("a", "web", "env:prod")));
        Assert.True(filter.Matches(Tagged("b", "WEB", "env: prod", "db")));
        Assert.False(filter.Matches(Tagged("c", "web", "env:staging")));
        Assert.False(filter.Matches(Tagged("d", "web", "env:prod", "canary")));
        Assert.False(filter.Matches(Tagged("e", "env:prod")));
        // A plain term is a whole tag: 'env' is not 'env:prod'.
        Assert.False(TagFilter.Parse("tags: env").Matches(Tagged("f", "env:prod")));
    }

    [Theory]
    [InlineData("tags:", "has no terms")]
    [InlineData("tags:  + ", "has no terms")]
    [InlineData("tags: web !", "'!'")]
    [InlineData("tags: web ! prod", "'!'")]
    [InlineData("tags: !!web", "'!!web'")]
    [InlineData("tags: we!b", "'we!b'")]
    [InlineData("tags: env:", "'env:'")]
    [InlineData("tags: :prod", "':prod'")]
    [InlineData("tags: a:b:c", "'a:b:c'")]
    [InlineData("tags: web $(reboot)", "'$(reboot)'")]
    [InlineData("tags: web;prod", "'web;prod'")]
    [InlineData("web+prod", "must start with 'tags:'")]
    public void Garbage_filters_give_an_error_naming_the_bad_term(string text, string named)
    {
        var e = Assert.Throws<FormatException>(() => TagFilter.Parse(text));

        Assert.Contains(named, e.Message);
    }
}
