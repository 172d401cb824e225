<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>EngineClient</name>
    <message>
        <source>{name} runs {slots} slots in parallel: requests batched together can change the numbers, so identical input may give different output. Start it with --parallel 1 for reproducible runs.</source>
        <translation>{name} 并行运行 {slots} 个槽位：一起批处理的请求会改变数值，因此相同输入可能得到不同输出。要获得可复现的结果，请用 --parallel 1 启动它。</translation>
    </message>
    <message>
        <source>{name} ({kind}) batches requests together and does not promise identical output for identical input, even with a fixed seed.</source>
        <translation>{name}（{kind}）会把请求合并批处理，即使固定随机种子，也不保证相同输入得到相同输出。</translation>
    </message>
</context>
<context>
    <name>EngineProbe</name>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Completions (Parley renders the prompt)</source>
        <translation>文本补全（由 Parley 渲染提示词）</translation>
    </message>
    <message>
        <source>Token probabilities with top alternatives</source>
        <translation>词元概率及最可能的候选词元</translation>
    </message>
    <message>
        <source>Probabilities after the sampler chain</source>
        <translation>采样链之后的概率</translation>
    </message>
    <message>
        <source>Prompt log-probabilities (perplexity, likelihood scoring)</source>
        <translation>提示词的对数概率（困惑度、似然评分）</translation>
    </message>
    <message>
        <source>Tokenize and apply the model's template</source>
        <translation>分词并套用模型的模板</translation>
    </message>
    <message>
        <source>Grammar / JSON schema</source>
        <translation>语法约束 / JSON 模式</translation>
    </message>
    <message>
        <source>Identical output for identical input</source>
        <translation>相同输入得到相同输出</translation>
    </message>
</context>
<context>
    <name>HubBrowser</name>
    <message>
        <source>Qwen 2.5 0.5B: tiny and fast, runs on any computer (about 0.5 GB)</source>
        <translation>Qwen 2.5 0.5B：小巧快速，任何电脑都能运行（约 0.5 GB）</translation>
    </message>
    <message>
        <source>Llama 3.2 1B: small general assistant from Meta (about 0.8 GB)</source>
        <translation>Llama 3.2 1B：Meta 出品的小型通用助手（约 0.8 GB）</translation>
    </message>
    <message>
        <source>Gemma 2 2B: Google's small model, good English writing (about 1.7 GB)</source>
        <translation>Gemma 2 2B：Google 的小模型，英文写作出色（约 1.7 GB）</translation>
    </message>
    <message>
        <source>Llama 3.2 3B: a capable everyday assistant (about 2 GB)</source>
        <translation>Llama 3.2 3B：能干的日常助手（约 2 GB）</translation>
    </message>
    <message>
        <source>Phi-3 mini 3.8B: strong reasoning for its size (about 2.4 GB)</source>
        <translation>Phi-3 mini 3.8B：同等体量中推理能力强（约 2.4 GB）</translation>
    </message>
    <message>
        <source>Qwen 2.5 7B: much stronger, needs 8 GB of memory or more (about 4.7 GB)</source>
        <translation>Qwen 2.5 7B：能力强得多，需要 8 GB 或更多内存（约 4.7 GB）</translation>
    </message>
</context>
</TS>
