using System.Text.RegularExpressions;

namespace Llama4.Moderation.Internal;

/// <summary>
/// Concept co-occurrence heuristics: instead of fixed phrases, a sentence is flagged when it combines concepts that
/// benign text rarely puts together (an override verb with the assistant's rules, an exfiltration verb with its hidden
/// context, a persona with "no rules", a reader that is an AI with a directive). They generalise to paraphrases that
/// the phrase heuristics of <see cref="InjectionHeuristics"/> miss.
/// </summary>
internal static partial class InjectionConcepts
{
    private const int TimeoutMilliseconds = 2000;

    /// <summary>Gets the signals found in normalised text (each id at most once).</summary>
    public static IEnumerable<(string Id, double Weight)> Signals(string normalized, bool indirect)
    {
        var found = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sentence in Sentences().Split(normalized))
        {
            if (sentence.Length == 0)
            {
                continue;
            }

            var self = Self().IsMatch(sentence);
            var rules = Rules().IsMatch(sentence);

            // In a user message the reader is the assistant, so an imperative at the start of a clause addresses it;
            // in data, only an explicit "you" does ("each player must ignore the previous score" addresses no one).
            var addressed = self || (!indirect && ImperativeOverride().IsMatch(sentence));
            if (rules && StrongOverride().IsMatch(sentence) && addressed)
            {
                found.TryAdd("override-rules", 0.75);
            }
            else if (rules && self && WeakOverride().IsMatch(sentence))
            {
                found.TryAdd("override-rules-weak", 0.65);
            }

            if (Exfiltrate().IsMatch(sentence) && HiddenContext().IsMatch(sentence))
            {
                found.TryAdd("exfiltrate-context", 0.75);
            }

            if (Persona().IsMatch(sentence) && NoRules().IsMatch(sentence))
            {
                found.TryAdd("persona-without-rules", 0.8);
            }

            if (UnrestrictedMode().IsMatch(sentence))
            {
                found.TryAdd("unrestricted-mode", 0.75);
            }

            if (Authority().IsMatch(sentence) && Permission().IsMatch(sentence))
            {
                found.TryAdd("authority-permission", 0.6);
            }

            if (indirect && AiReader().IsMatch(sentence) && Directive().IsMatch(sentence))
            {
                found.TryAdd("ai-reader-directive", 0.75);
            }

            if (indirect && AddressedColon().IsMatch(sentence))
            {
                found.TryAdd("addressed-to-ai", 0.75);
            }

            if (AssumeRulesOff().IsMatch(sentence))
            {
                found.TryAdd("assume-rules-off", 0.75);
            }

            if (AskForbiddenTopics().IsMatch(sentence))
            {
                found.TryAdd("ask-forbidden-topics", 0.75);
            }

            if (ObeyMe().IsMatch(sentence))
            {
                found.TryAdd("obey-me", 0.6);
            }
        }

        return found.Select(p => (p.Key, p.Value));
    }

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Sentences();

    [GeneratedRegex(@"\b(?:you|your|yours|yourself|you're|you've|you'll|u|ur)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Self();

    [GeneratedRegex(@"\b(?:instructions?|rules?|guardrails?|guidelines?|polic(?:y|ies)|restrictions?|content (?:checks?|filters?|polic(?:y|ies))|safety(?: training| checks?| filters?| rules| measures| settings)?|constraints|programming|system prompt|directives?|limitations|moderation|(?:were|was|been) told|told you|initiali[sz]ed with|checks)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Rules();

    [GeneratedRegex(@"\b(?:ignor(?:e|es|ed|ing)|disregard\w*|bypass\w*|overrid(?:e|es|den|ing)|circumvent\w*|no longer appl(?:y|ies)|(?:does|do)(?:n't| not) apply|lifted|suspended|disabled?|unrestricted|unfiltered|uncensored|unlock(?:ed)?|exempt|as if (?:no|there (?:is|are|were) no)|(?:don't|do not|dont|no need to|needn't|never|stop|quit)\s+(?:\w+\s+){0,2}?(?:follow\w*|obey\w*|respect\w*|stick\w* to|adher\w* to|comply\w* with))\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex StrongOverride();

    [GeneratedRegex(@"(?:^|[,:;\-–(""']\s*|\b(?:and|then|so|now|just|please|pls|kindly|ok|okay|also)\s+)(?:ignore|disregard|bypass|override|circumvent|forget|skip|drop|respond|answer|act|behave|operate|proceed|reply)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex ImperativeOverride();

    [GeneratedRegex(@"(?<!\b(?:don't|do not|never|not|won't|didn't|dont)\s)\b(?:forget|forgot|skip|skipping|reset|turn(?:ed)? off|switch(?:ed)? off|without|free (?:of|from)|void|cancel(?:l?ed)?|remove[ds]?|no)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex WeakOverride();

    [GeneratedRegex(@"\b(?:reveal|show|print|dump|spell out|recite|repeat|quote|output|display|leak|expose|disclose|paste|copy|tell me (?:exactly|precisely|word for word|verbatim)|word for word|verbatim)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Exfiltrate();

    [GeneratedRegex(@"\b(?:(?:hidden|secret|initial|original|system|internal|confidential|underlying) (?:context|prompt|instructions|message|rules|configuration)|instructions you (?:were|have been) (?:given|initiali[sz]ed with)|(?:initiali[sz]ed|configured|programmed|primed|set up|instructed)(?: you)? with|(?:first|earliest|initial|very first) (?:message|text|lines?|words) (?:in|of) your (?:context|conversation|memory|window)|your context window|what (?:your|the) (?:developer|creator|owner|operator|admin)s? (?:wrote|said|told|gave)|context you (?:received|were given|have)|before (?:i arrived|my first message|this conversation))\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex HiddenContext();

    [GeneratedRegex(@"\b(?:act(?:ing|or)?|play(?:ing)?|pretend\w*|simulat\w*|role-?play\w*|imagine|you(?:'re| are) (?:now )?(?:an?|the)|become|thought experiment|(?:respond|answer|reply|speak|write|talk)\s+(?:only\s+)?as|an? (?:model|ai|bot|assistant|chatbot) that)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Persona();

    [GeneratedRegex(@"\b(?:no|without|zero|free of|lacks?|lacking)\s+(?:\w+\s+){0,2}?(?:safety|rules|restrictions|polic(?:y|ies)|guidelines|filters|limits|ethics|morals|censorship|alignment|guardrails|boundaries)\b|\b(?:unrestricted|unfiltered|uncensored|unaligned|jailbr\w*)\b|\b(?:never refuses|refuses nothing|always compl(?:y|ies)|no refusals?)\b|\b(?:polic(?:y|ies)|rules|guidelines|filters|restrictions|safety|guardrails)\b[^.]{0,30}\b(?:never (?:existed|written|applied)|(?:is|are|were|was) (?:\w+ )?(?:gone|off|switched off|turned off|disabled|removed|lifted|absent|suspended))\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex NoRules();

    [GeneratedRegex(@"\b(?:unrestricted|unfiltered|uncensored|jailbreak|jailbroken|god|dan|no-?limits?|no-?rules) mode\b|\b(?:proceed|operate|continue|respond|answer|run|work)\w*\s+(?:\w+\s+){0,2}?without (?:any )?(?:restrictions|limits|filters|rules|guardrails|censorship|safety)\b|\b(?:discuss|say|do|answer|talk about|write|tell me) anything\b[^.]{0,20}\bwithout (?:any )?(?:limits|restrictions|filters|rules|censorship)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex UnrestrictedMode();

    [GeneratedRegex(@"\b(?:administrator|admin|developer|owner|operator|creator|maintainer|superuser|root user)\b|\bverified as\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Authority();

    [GeneratedRegex(@"\b(?:authori[sz]e\w*|permit\w*|grant\w*|allow you|proceed without|skip (?:all |the |any )?(?:\w+ )?(?:checks|verification|moderation|filters|rules)|verified as admin|bypass\w*|unlock\w*|override code|(?:mode|override|access) (?:is )?(?:activated|enabled|unlocked|granted))\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Permission();

    [GeneratedRegex(@"\b(?:any|every|all|whichever|each|whatever)\s+(?:\w+\s+){0,2}?(?:ai|llm|llms|language models?|models?|assistants?|chatbots?|bots?|agents?|automated \w+|ai systems?)\b|\b(?:ai|llm|llms|language models?|assistants?|chatbots?|bots?|agents?|automated (?:systems?|readers?|tools?|agents?|assistants?)|ai tools?)\s+(?:that (?:is |are )?)?(?:reading|reads|parsing|parses|processing|processes|summariz\w*|evaluating|evaluates|screening|screens|analy[sz]ing|analy[sz]es|crawling|indexing)\b|\b(?:to|for)\s+the\s+(?:ai|llm|language model|model|assistant|chatbot|bot|agent)\s+\w+ing\s+(?:this|these)\b|\b(?:to|for)\s+(?:all\s+|any\s+)?automated\s+(?:readers?|systems?|tools?|agents?|assistants?)\b|\b(?:hey|hi|hello|dear|yo)\s+(?:ai|assistant|claude|gpt|chatgpt|bot|copilot|llama|gemini|chatbot|model|language model|llm)\b|(?:^|[:>\]]\s*|<!--\s*)(?:ai|assistants?|llms?|bots?|models?|agents?|chatbots?)\s*[,:]|\((?:for|to) (?:the |all |any )?(?:ai|llms?|chatbots?|bots?|assistants?|models?|agents?)\)", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex AiReader();

    [GeneratedRegex(@"\b(?:to|for)\s+(?:any|all|every|each|whichever|the)\s+(?:[\w-]+\s+){0,2}?(?:ai|llm|language model|model|assistant|chatbot|bot|agent)s?\b[^:.]{0,50}:", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex AddressedColon();

    [GeneratedRegex(@"\b(?:consider|assume|treat|imagine|pretend|suppose)\b[^.]{0,30}\b(?:restrictions|rules|guidelines|filters|polic(?:y|ies)|guardrails|limits)\b[^.]{0,20}\b(?:removed|lifted|disabled|gone|off|suspended|waived|void|deleted|don't exist|do not exist|never existed)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex AssumeRulesOff();

    [GeneratedRegex(@"\bwhat (?:did|do|does|have|has)\b[^.?]{0,40}\b(?:tell|told|instruct\w*|ask\w*|forbid\w*|train\w*) you (?:not to|never to|to avoid|to refuse)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex AskForbiddenTopics();

    [GeneratedRegex(@"\b(?:obey|serve) (?:only )?(?:me|my (?:every )?(?:word|command|order)s?)\b|\bdo (?:whatever|everything|anything) i (?:say|tell you|ask)\b|\bcomply with (?:every|all|any) (?:request|order|command|instruction)s?\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex ObeyMe();

    [GeneratedRegex(@"\b(?:must|should|shall|need to|needs to|have to|has to|is required to|are required to|please|do not|don't|never|always)\b|[:,;]\s*(?:tell|say|reply|respond|write|forward|send|close|delete|rate|score|rank|treat|skip|include|mark|ignore|approve|email|recommend|buy|download|visit|click|transfer|cancel)\b", RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Directive();
}
