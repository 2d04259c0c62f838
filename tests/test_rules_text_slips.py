"""JS6xx text slips: the fast forms against the patterns they replace."""
def test_other_level_words_found_as_the_single_pattern_finds_them():
    # JS604 looks for other levels' words by their last character (级, 直) with look-behinds; it
    # must answer as _other_level_re(level).search does, for every level
    import random

    from juesuan.final.rules import text_slips as S

    rnd = random.Random(7)
    words = [w for ws in S._LEVEL_WORDS.values() for w in ws]
    pieces = list("省市区县乡镇级直本部门财政，。") + words
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(5000)]
    for level in S._LEVEL_WORDS:
        for t in texts:
            assert S._names_other_level(t, level) == (S._other_level_re(level).search(t) is not None), (level, t)
