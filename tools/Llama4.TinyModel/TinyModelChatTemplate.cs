namespace Llama4.TinyModel;

/// <summary>
/// The Jinja chat template written to <c>tokenizer.chat_template</c>: the Llama 4 instruct layout, written for this
/// project. llama.cpp never executes it (LLamaSharp's templating recognises <c>&lt;|header_start|&gt;</c> and uses its
/// built-in Llama 4 layout); Jinja engines that read the GGUF do.
/// </summary>
/// <remarks>
/// Layout: BOS once; an optional system turn (content trimmed; with tools it starts <c>Environment: ipython\n</c>);
/// each message as <c>&lt;|header_start|&gt;{role}&lt;|header_end|&gt;\n\n{content}&lt;|eot|&gt;</c>; the <c>tool</c> role
/// as <c>ipython</c> with its content JSON-encoded; tool definitions in the first user turn; assistant tool calls as
/// <c>&lt;|python_start|&gt;&lt;|python_end|&gt;{"name": ..., "parameters": ...}</c>; and, when asked, the generation prompt
/// <c>&lt;|header_start|&gt;assistant&lt;|header_end|&gt;\n\n</c>.
/// </remarks>
public static class TinyModelChatTemplate
{
    /// <summary>The template source.</summary>
    public const string Text = """
        {#- Llama 4 instruct layout (llama4-tiny test model). -#}
        {%- macro content_text(content) -%}
            {%- if content is string -%}
                {{- content -}}
            {%- elif content is none -%}
            {%- else -%}
                {%- for part in content -%}
                    {%- if part['type'] == 'text' -%}
                        {{- part['text'] -}}
                    {%- elif part['type'] == 'image' or part['type'] == 'image_url' -%}
                        {{- '<|image|>' -}}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endmacro -%}
        {%- set has_tools = tools is defined and tools is not none and tools | length > 0 -%}
        {%- set state = namespace(system='', first=0, tools_pending=has_tools) -%}
        {%- if messages | length > 0 and messages[0]['role'] == 'system' -%}
            {%- set state.system = content_text(messages[0]['content']) | trim -%}
            {%- set state.first = 1 -%}
        {%- endif -%}
        {{- bos_token -}}
        {%- if has_tools -%}
            {%- set state.system = 'Environment: ipython\n' ~ state.system -%}
        {%- endif -%}
        {%- if state.system | length > 0 -%}
            {{- '<|header_start|>system<|header_end|>\n\n' ~ state.system ~ '<|eot|>' -}}
        {%- endif -%}
        {%- for message in messages[state.first:] -%}
            {%- set role = 'ipython' if message['role'] in ['tool', 'ipython'] else message['role'] -%}
            {{- '<|header_start|>' ~ role ~ '<|header_end|>\n\n' -}}
            {%- if role == 'user' and state.tools_pending -%}
                {{- 'Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n' -}}
                {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' -}}
                {{- 'Do not use variables.\n\n' -}}
                {%- for tool in tools -%}
                    {{- tool | tojson(indent=4) ~ '\n\n' -}}
                {%- endfor -%}
                {%- set state.tools_pending = false -%}
            {%- endif -%}
            {%- if role == 'ipython' -%}
                {{- message['content'] | tojson -}}
            {%- else -%}
                {{- content_text(message['content']) -}}
            {%- endif -%}
            {%- if role == 'assistant' and message['tool_calls'] is defined and message['tool_calls'] -%}
                {{- '<|python_start|><|python_end|>' -}}
                {%- for call in message['tool_calls'] -%}
                    {%- set fn = call['function'] if call['function'] is defined else call -%}
                    {%- if not loop.first -%}
                        {{- '\n' -}}
                    {%- endif -%}
                    {{- '{"name": "' ~ fn['name'] ~ '", "parameters": ' -}}
                    {%- if fn['arguments'] is string -%}
                        {{- fn['arguments'] -}}
                    {%- else -%}
                        {{- fn['arguments'] | tojson -}}
                    {%- endif -%}
                    {{- '}' -}}
                {%- endfor -%}
            {%- endif -%}
            {{- '<|eot|>' -}}
        {%- endfor -%}
        {%- if add_generation_prompt -%}
            {{- '<|header_start|>assistant<|header_end|>\n\n' -}}
        {%- endif -%}
        """;
}
