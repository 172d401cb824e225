<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BaseModelSuggestion</name>
    <message>
        <source>Few-shot prompts suit a base model best: it continues the pattern your examples set. The built-in {model} is one.</source>
        <translation>少样本提示词最适合基础模型：它会延续示例设定的模式。内置的 {model} 就是基础模型。</translation>
    </message>
    <message>
        <source>Use {model}</source>
        <translation>使用 {model}</translation>
    </message>
    <message>
        <source>Load the built-in base model {model} (the chat uses it too)</source>
        <translation>加载内置基础模型 {model}（对话也会使用它）</translation>
    </message>
</context>
<context>
    <name>BatchPanel</name>
    <message>
        <source> · stopped early</source>
        <translation> · 提前停止</translation>
    </message>
    <message>
        <source> · stopped</source>
        <translation> · 已停止</translation>
    </message>
    <message>
        <source>Import test set…</source>
        <translation>导入测试集…</translation>
    </message>
    <message>
        <source>Items with an expected answer, from a CSV, TSV or JSONL file</source>
        <translation>带预期答案的条目，来自 CSV、TSV 或 JSONL 文件</translation>
    </message>
    <message>
        <source>No test set</source>
        <translation>未导入测试集</translation>
    </message>
    <message>
        <source>How many of the enabled examples each prompt carries</source>
        <translation>每个提示词包含多少个已启用的示例</translation>
    </message>
    <message>
        <source>Random pick, seed</source>
        <translation>随机选取，种子</translation>
    </message>
    <message>
        <source>Pick the examples at random (with this seed) instead of the first ones</source>
        <translation>按此种子随机选取示例，而不是取前几个</translation>
    </message>
    <message>
        <source>The seed that picks the examples; with several orders, order i uses seed + i</source>
        <translation>选取示例的种子；多个顺序时，第 i 个顺序使用种子 + i</translation>
    </message>
    <message>
        <source>Run the same number of examples this many times, each time with examples picked and ordered at random
(seeds seed, seed + 1, …), to see how much the accuracy depends on which examples come in which order</source>
        <translation>以相同的示例数量运行这么多次，每次随机选取并排列示例
（种子依次为 种子、种子 + 1、…），看准确率在多大程度上取决于选了哪些示例、以什么顺序排列</translation>
    </message>
    <message>
        <source>Run test set</source>
        <translation>运行测试集</translation>
    </message>
    <message>
        <source>Score the template on every test item</source>
        <translation>在每个测试条目上为模板评分</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after the current token; results so far stay</source>
        <translation>在当前词元之后停止；已有结果会保留</translation>
    </message>
    <message>
        <source>Sweep shots</source>
        <translation>扫描示例数</translation>
    </message>
    <message>
        <source>Run the test set with 0, 1, 2, 4… examples and chart the accuracy; with Orders above 1, each count in that many example orders</source>
        <translation>分别用 0、1、2、4… 个示例运行测试集并绘制准确率图；顺序数大于 1 时，每个数量都以相应多种示例顺序运行</translation>
    </message>
    <message>
        <source>Export results…</source>
        <translation>导出结果…</translation>
    </message>
    <message>
        <source>Write the last run with its settings to CSV or JSON</source>
        <translation>将最近一次运行及其设置写入 CSV 或 JSON</translation>
    </message>
    <message>
        <source>No results yet</source>
        <translation>尚无结果</translation>
    </message>
    <message>
        <source>Examples per prompt</source>
        <translation>每个提示词的示例数</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>顺序数</translation>
    </message>
    <message>
        <source> · run {position} of {count}</source>
        <translation> · 第 {position}/{count} 次运行</translation>
    </message>
    <message>
        <source>{shots} examples{of} · {done}</source>
        <translation>{shots} 个示例{of} · {done}</translation>
    </message>
    <message>
        <source>Running with {shots} examples…</source>
        <translation>正在以 {shots} 个示例运行…</translation>
    </message>
</context>
<context>
    <name>ColumnMappingDialog</name>
    <message>
        <source>Columns of {file}</source>
        <translation>{file} 的列</translation>
    </message>
    <message>
        <source>Choose which columns of {file} hold what.</source>
        <translation>选择 {file} 中各列分别对应什么。</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Expected output</source>
        <translation>预期输出</translation>
    </message>
    <message>
        <source>Variable {{{name}}}</source>
        <translation>变量 {{{name}}}</translation>
    </message>
    <message>
        <source>“{column}” cannot be both the input and the expected output. Choose the column that holds the answers, or (none).</source>
        <translation>“{column}” 不能同时作为输入和预期输出。请选择包含答案的列，或选（无）。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>CompareColumn</name>
    <message>
        <source>A short name for this configuration, kept in saved experiments.</source>
        <translation>此配置的简短名称，会保存在实验中。</translation>
    </message>
    <message>
        <source>Remove this configuration</source>
        <translation>移除此配置</translation>
    </message>
    <message>
        <source>The model this column runs. Another model is loaded for this column only; the chat's model is loaded again after the run.</source>
        <translation>此列运行的模型。其他模型只为这一列加载；运行结束后会重新加载对话的模型。</translation>
    </message>
    <message>
        <source>Current model</source>
        <translation>当前模型</translation>
    </message>
    <message>
        <source>System prompt (optional)</source>
        <translation>系统提示词（可选）</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>The output appears here.</source>
        <translation>输出显示在这里。</translation>
    </message>
    <message>
        <source>Temp</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大词元数</translation>
    </message>
    <message>
        <source>Current model ({name})</source>
        <translation>当前模型（{name}）</translation>
    </message>
    <message>
        <source>{model} (not in the library)</source>
        <translation>{model}（不在模型库中）</translation>
    </message>
    <message>
        <source>Not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>Not run: stopped</source>
        <translation>未运行：已停止</translation>
    </message>
</context>
<context>
    <name>ComparePanel</name>
    <message>
        <source>Loading the chat's model {name} again…</source>
        <translation>正在重新加载对话的模型 {name}…</translation>
    </message>
    <message>
        <source>Every column starts from the chat's sampling settings and the same seed, so any difference between outputs comes from what you change. Columns run one after another; another model is loaded only for its column.</source>
        <translation>每一列都从对话的采样设置和相同的种子开始，因此输出之间的任何差异都来自你所做的改动。各列依次运行；其他模型只为其所在列加载。</translation>
    </message>
    <message>
        <source>The prompt every configuration answers</source>
        <translation>每个配置都要回答的提示词</translation>
    </message>
    <message>
        <source>The seed every column uses unless you give it its own.</source>
        <translation>各列默认使用的种子，除非为某列单独设置。</translation>
    </message>
    <message>
        <source>Add configuration</source>
        <translation>添加配置</translation>
    </message>
    <message>
        <source>Up to {n} columns</source>
        <translation>最多 {n} 列</translation>
    </message>
    <message>
        <source>Run all</source>
        <translation>全部运行</translation>
    </message>
    <message>
        <source>Run every column, one after another</source>
        <translation>依次运行每一列</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the column that is running</source>
        <translation>停止正在运行的列</translation>
    </message>
    <message>
        <source>Base vs instruction-tuned</source>
        <translation>基础模型与指令微调模型对比</translation>
    </message>
    <message>
        <source>A ready experiment: one prompt to both built-in models, same settings</source>
        <translation>现成的实验：同一个提示词、相同设置，发给两个内置模型</translation>
    </message>
    <message>
        <source>Save experiment…</source>
        <translation>保存实验…</translation>
    </message>
    <message>
        <source>Keep the prompt, the settings and the outputs</source>
        <translation>保存提示词、设置和输出</translation>
    </message>
    <message>
        <source>Show a saved experiment again, without running it</source>
        <translation>重新显示已保存的实验，不再运行</translation>
    </message>
    <message>
        <source>Seed for all</source>
        <translation>统一种子</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Computing the model files' checksums before saving…</source>
        <translation>保存前正在计算模型文件的校验和…</translation>
    </message>
    <message>
        <source>Load a model first.</source>
        <translation>请先加载模型。</translation>
    </message>
    <message>
        <source>The model is busy; wait for it or press Stop.</source>
        <translation>模型正忙；请等待或按“停止”。</translation>
    </message>
    <message>
        <source>Type a prompt first: every column answers the same one.</source>
        <translation>请先输入提示词：每一列回答的是同一个提示词。</translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>Save experiment</source>
        <translation>保存实验</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Run the columns first: there is nothing to save yet.</source>
        <translation>请先运行各列：目前还没有可保存的内容。</translation>
    </message>
    <message>
        <source>Saved “{name}” as {file}</source>
        <translation>已将“{name}”保存为 {file}</translation>
    </message>
    <message>
        <source>Open a saved experiment…</source>
        <translation>打开已保存的实验…</translation>
    </message>
    <message>
        <source>{name} (damaged)</source>
        <translation>{name}（已损坏）</translation>
    </message>
    <message>
        <source>Showing “{name}” from {time}. These outputs were saved then; Run all to run the prompt again.</source>
        <translation>正在显示 {time} 的“{name}”。这些输出是当时保存的；点击“全部运行”可重新运行该提示词。</translation>
    </message>
    <message>
        <source>Showing “{name}”. These outputs were saved then; Run all to run the prompt again.</source>
        <translation>正在显示“{name}”。这些输出是当时保存的；点击“全部运行”可重新运行该提示词。</translation>
    </message>
</context>
<context>
    <name>ComparePresets</name>
    <message>
        <source>Ready: press Run all. The same prompt goes to both with the same settings (greedy). The base model continues the text it is given; the instruction-tuned one was trained further on requests with good answers (and on which answers people prefer), so it answers. That is the difference instruction tuning makes.</source>
        <translation>已就绪：按“全部运行”。同一个提示词以相同设置（贪心解码）发给两个模型。基础模型只会续写给它的文本；指令微调模型在请求与优质回答（以及人们更偏好哪些回答）上做过进一步训练，所以它会作答。这就是指令微调带来的差别。</translation>
    </message>
    <message>
        <source> and </source>
        <translation> 和 </translation>
    </message>
    <message>
        <source>This experiment needs both built-in models; {missing} is not in the library.</source>
        <translation>此实验需要两个内置模型；{missing} 不在模型库中。</translation>
    </message>
    <message>
        <source>Base: {model}</source>
        <translation>基础：{model}</translation>
    </message>
    <message>
        <source>Instruction-tuned: {model}</source>
        <translation>指令微调：{model}</translation>
    </message>
</context>
<context>
    <name>CompareRunner</name>
    <message>
        <source>Could not load {model}: {error}</source>
        <translation>无法加载 {model}：{error}</translation>
    </message>
    <message>
        <source>Could not load the chat's model {name} again: {error}</source>
        <translation>无法重新加载对话的模型 {name}：{error}</translation>
    </message>
</context>
<context>
    <name>ConfusionModel</name>
    <message>
        <source>Items whose expected answer is {label}</source>
        <translation>预期答案为 {label} 的条目</translation>
    </message>
    <message>
        <source>Items the model answered {label}</source>
        <translation>模型回答为 {label} 的条目</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
</context>
<context>
    <name>ConfusionPanel</name>
    <message>
        <source>Confusion matrix: rows are the expected answers, columns what the model answered</source>
        <translation>混淆矩阵：行是预期答案，列是模型的回答</translation>
    </message>
</context>
<context>
    <name>EvalRunner</name>
    <message>
        <source>Calibration runs the prompt with content-free inputs, where the labels' {column} fields have no value. Write the labels out in full, or untick Calibrate.</source>
        <translation>校准会用无内容输入运行提示词，此时标签中的 {column} 字段没有值。请把标签完整写出，或取消勾选“校准”。</translation>
    </message>
    <message>
        <source>The test set</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>{name} has no expected answers, so there is nothing to score the outputs against. Import it again and choose the column that holds the answers (Try works without).</source>
        <translation>{name} 没有预期答案，无法为输出评分。请重新导入并选择包含答案的列（“试运行”不需要答案）。</translation>
    </message>
    <message>
        <source>Could not save the run to {folder}: {error}. Its results stay here; use Export results… to keep them.</source>
        <translation>无法将运行保存到 {folder}：{error}。结果仍保留在这里；可用“导出结果…”保存。</translation>
    </message>
</context>
<context>
    <name>ExamplesModel</name>
    <message>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Include this example in the prompt</source>
        <translation>在提示词中包含此示例</translation>
    </message>
    <message>
        <source>Tokens this example adds to every prompt (the chat template's markers come on top)</source>
        <translation>此示例为每个提示词增加的词元数（对话模板的标记另计）</translation>
    </message>
</context>
<context>
    <name>FewShotPage</name>
    <message>
        <source>Data files (*.csv *.tsv *.jsonl)</source>
        <translation>数据文件 (*.csv *.tsv *.jsonl)</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Try</source>
        <translation>试运行</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Import examples</source>
        <translation>导入示例</translation>
    </message>
    <message>
        <source>Import a test set</source>
        <translation>导入测试集</translation>
    </message>
    <message>
        <source>Added %n examples from {file}</source>
        <translation>已从 {file} 添加 %n 个示例</translation>
    </message>
    <message>
        <source>Export examples</source>
        <translation>导出示例</translation>
    </message>
    <message>
        <source> (%n empty rows skipped)</source>
        <translation>（跳过了 %n 个空行）</translation>
    </message>
    <message>
        <source>%n items from {file}</source>
        <translation>{file} 中的 %n 个条目</translation>
    </message>
    <message>
        <source>{engine} does not return log-probabilities, so it cannot score by “Most likely answer”. Choose a rule that reads the generated text.</source>
        <translation>{engine} 不返回对数概率，因此无法按“最可能的答案”评分。请选择一种读取生成文本的规则。</translation>
    </message>
    <message>
        <source>Import a test set first: a file with inputs and expected answers.</source>
        <translation>请先导入测试集：一个包含输入和预期答案的文件。</translation>
    </message>
    <message>
        <source>Zero examples have no order to vary, so the test set runs once.</source>
        <translation>零个示例没有顺序可变，因此测试集只运行一次。</translation>
    </message>
    <message>
        <source>Nothing to export yet: run the test set first.</source>
        <translation>还没有可导出的内容：请先运行测试集。</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <source>Exported %n results to {file}</source>
        <translation>已将 %n 条结果导出到 {file}</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>A run is in progress; open saved runs when it has finished.</source>
        <translation>有运行正在进行；请在完成后再打开已保存的运行。</translation>
    </message>
    <message>
        <source>Load a model first.</source>
        <translation>请先加载模型。</translation>
    </message>
    <message>
        <source>The model is busy; wait for it or press Stop.</source>
        <translation>模型正忙；请等待或按“停止”。</translation>
    </message>
</context>
<context>
    <name>HeatMap</name>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>token {number} · id {id}</source>
        <translation>第 {number} 个词元 · ID {id}</translation>
    </message>
    <message>
        <source>The first token: nothing comes before it, so it is not scored.</source>
        <translation>第一个词元：前面没有内容，因此不评分。</translation>
    </message>
    <message>
        <source>{bits} bits of surprisal · probability {probability}</source>
        <translation>惊异度 {bits} 比特 · 概率 {probability}</translation>
    </message>
    <message>
        <source>one character</source>
        <translation>1 个字符</translation>
    </message>
    <message>
        <source>{count} characters</source>
        <translation>{count} 个字符</translation>
    </message>
    <message>
        <source>tokens {first}–{last}: {what} in {size} tokens</source>
        <translation>第 {first}–{last} 个词元：{what}，由 {size} 个词元组成</translation>
    </message>
    <message>
        <source>id {id} · bytes {bytes}</source>
        <translation>ID {id} · 字节 {bytes}</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>未评分</translation>
    </message>
    <message>
        <source>{bits} bits</source>
        <translation>{bits} 比特</translation>
    </message>
    <message>
        <source>Its first token is the text's first: not scored.</source>
        <translation>它的第一个词元就是文本的第一个词元：未评分。</translation>
    </message>
    <message>
        <source>{bits} bits of surprisal · probability {probability} (the product over its tokens)</source>
        <translation>惊异度 {bits} 比特 · 概率 {probability}（其各词元概率之积）</translation>
    </message>
    <message>
        <source>Surprisal in bits:</source>
        <translation>惊异度（比特）：</translation>
    </message>
    <message>
        <source>(grey: first token, not scored)</source>
        <translation>（灰色：第一个词元，未评分）</translation>
    </message>
    <message>
        <source>… {count} more tokens, counted in the summary but not drawn.</source>
        <translation>… 另有 {count} 个词元已计入汇总，但未显示。</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Show this run's results on the Results tab</source>
        <translation>在“结果”标签页显示此运行的结果</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete the selected run records from disk</source>
        <translation>从磁盘删除所选的运行记录</translation>
    </message>
    <message>
        <source>Compare…</source>
        <translation>比较…</translation>
    </message>
    <message>
        <source>Select exactly two runs on the same test set: which items each got right, and whether the difference is more than chance</source>
        <translation>选择同一测试集上的两次运行：看各自答对了哪些条目，以及差异是否超出偶然</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the runs folder again</source>
        <translation>重新读取运行记录文件夹</translation>
    </message>
    <message>
        <source>nowhere (no runs folder)</source>
        <translation>无处（没有运行记录文件夹）</translation>
    </message>
    <message>
        <source>Every run is saved automatically to {folder}</source>
        <translation>每次运行都会自动保存到 {folder}</translation>
    </message>
    <message>
        <source> · saved run of {time}</source>
        <translation> · {time} 保存的运行</translation>
    </message>
    <message>
        <source>Delete this saved run from disk? This cannot be undone.</source>
        <translation>从磁盘删除这次已保存的运行？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete these {n} saved runs from disk? This cannot be undone.</source>
        <translation>从磁盘删除这 {n} 次已保存的运行？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Could not delete {file}: {error}</source>
        <translation>无法删除 {file}：{error}</translation>
    </message>
</context>
<context>
    <name>PerplexityPage</name>
    <message>
        <source>Text files (*.txt *.md);;All files (*)</source>
        <translation>文本文件 (*.txt *.md);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Measure how surprised the loaded model is by each token of the text</source>
        <translation>测量已加载模型对文本中每个词元的惊异度</translation>
    </message>
    <message>
        <source>Waiting for the chat (or another page) to finish with the model</source>
        <translation>正在等待对话（或其他页面）用完模型</translation>
    </message>
    <message>
        <source>Too short to score: {count} token, and the first has nothing before it to be predicted from.</source>
        <translation>文本太短，无法评分：只有 {count} 个词元，而第一个词元前面没有可供预测的内容。</translation>
    </message>
    <message>
        <source>Too short to score: {count} tokens, and the first has nothing before it to be predicted from.</source>
        <translation>文本太短，无法评分：只有 {count} 个词元，而第一个词元前面没有可供预测的内容。</translation>
    </message>
    <message>
        <source>{count} window of {n_ctx}</source>
        <translation>{count} 个 {n_ctx} 词元的窗口</translation>
    </message>
    <message>
        <source>{count} windows of {n_ctx}</source>
        <translation>{count} 个 {n_ctx} 词元的窗口</translation>
    </message>
    <message>
        <source>{count} token</source>
        <translation>{count} 个词元</translation>
    </message>
    <message>
        <source>{count} tokens</source>
        <translation>{count} 个词元</translation>
    </message>
    <message>
        <source>Perplexity {value}</source>
        <translation>困惑度 {value}</translation>
    </message>
    <message>
        <source>{bits} bits per token on average</source>
        <translation>平均每词元 {bits} 比特</translation>
    </message>
    <message>
        <source>stopped early: {count} tokens scored</source>
        <translation>提前停止：已评分 {count} 个词元</translation>
    </message>
    <message>
        <source>{file} is {size} MB; Parley scores texts up to {limit} MB. Open a shorter part of it.</source>
        <translation>{file} 大小为 {size} MB；Parley 最多为 {limit} MB 的文本评分。请打开其中较短的一部分。</translation>
    </message>
    <message>
        <source>Could not read {file}: {reason}</source>
        <translation>无法读取 {file}：{reason}</translation>
    </message>
    <message>
        <source>{file} is not UTF-8 text (byte {offset} is not valid UTF-8). Save it as UTF-8 and open it again.</source>
        <translation>{file} 不是 UTF-8 文本（位置 {offset} 处的字节不是有效的 UTF-8）。请将其另存为 UTF-8 后重新打开。</translation>
    </message>
    <message>
        <source>The {engine} engine cannot score a text: perplexity needs each token's probability, which it does not give.</source>
        <translation>{engine} 引擎无法为文本评分：困惑度需要每个词元的概率，而该引擎不提供。</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Score a .txt or .md file (UTF-8, up to 5 MB)</source>
        <translation>为纯文本或 Markdown 文件评分（UTF-8，最大 5 MB）</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop; the tokens scored so far are shown</source>
        <translation>停止；显示目前已评分的词元</translation>
    </message>
    <message>
        <source>Paste a text here, or open a file. Lower perplexity: the text reads as more expected to this model.</source>
        <translation>在此粘贴文本，或打开一个文件。困惑度越低，说明该文本越符合这个模型的预期。</translation>
    </message>
    <message>
        <source>%v / %m tokens</source>
        <translation>%v / %m 个词元</translation>
    </message>
    <message>
        <source>Score a text to see each token coloured by how surprising it was.</source>
        <translation>为文本评分后，每个词元会按其惊异度着色。</translation>
    </message>
    <message>
        <source>No model loaded: load one to score a text.</source>
        <translation>未加载模型：加载模型后即可为文本评分。</translation>
    </message>
    <message>
        <source>Scores with &lt;b&gt;{model}&lt;/b&gt; · context {n_ctx} tokens</source>
        <translation>评分模型 &lt;b&gt;{model}&lt;/b&gt; · 上下文 {n_ctx} 个词元</translation>
    </message>
    <message>
        <source>Open a text to score</source>
        <translation>打开要评分的文本</translation>
    </message>
    <message>
        <source>Opened {file} ({count} characters).</source>
        <translation>已打开 {file}（{count} 个字符）。</translation>
    </message>
    <message>
        <source>Load a model first.</source>
        <translation>请先加载模型。</translation>
    </message>
    <message>
        <source>The model is busy; wait for it or press Stop.</source>
        <translation>模型正忙；请等待，或按“停止”。</translation>
    </message>
    <message>
        <source>Paste or open a text to score first.</source>
        <translation>请先粘贴或打开要评分的文本。</translation>
    </message>
    <message>
        <source>The text is longer than {limit} MB; score a shorter part of it.</source>
        <translation>文本超过 {limit} MB；请为其中较短的一部分评分。</translation>
    </message>
    <message>
        <source>Scoring…</source>
        <translation>正在评分…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Scoring… {done} of {total} tokens</source>
        <translation>正在评分… {done} / {total} 个词元</translation>
    </message>
</context>
<context>
    <name>PreviewPanel</name>
    <message>
        <source>Exactly what the model reads for the query values on the left:</source>
        <translation>模型针对左侧查询值实际读到的内容：</translation>
    </message>
    <message>
        <source>Counting tokens…</source>
        <translation>正在统计词元…</translation>
    </message>
    <message>
        <source>Token count unavailable</source>
        <translation>无法统计词元数</translation>
    </message>
    <message>
        <source>{count} tokens of {n_ctx}</source>
        <translation>{count} / {n_ctx} 个词元</translation>
    </message>
    <message>
        <source>{count} tokens</source>
        <translation>{count} 个词元</translation>
    </message>
    <message>
        <source>⚠ {count}: longer than the context. Turn off examples or load the model with more context.</source>
        <translation>⚠ {count}：超出上下文长度。请关闭部分示例，或以更大的上下文加载模型。</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预期</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Prompt tokens</source>
        <translation>提示词词元</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>P(label)</source>
        <translation>P(标签)</translation>
    </message>
    <message>
        <source>Margin</source>
        <translation>领先幅度</translation>
    </message>
    <message>
        <source>No results yet</source>
        <translation>尚无结果</translation>
    </message>
    <message>
        <source> · {done} of {total} done</source>
        <translation> · 已完成 {done}/{total}</translation>
    </message>
    <message>
        <source>Accuracy {accuracy} · {evaluated} prompt tokens evaluated of {total}{progress}</source>
        <translation>准确率 {accuracy} · 已计算 {evaluated}/{total} 个提示词词元{progress}</translation>
    </message>
    <message>
        <source>unknown time</source>
        <translation>未知时间</translation>
    </message>
    <message>
        <source>Accuracy over {n} example orders: mean {mean} ± {std} (std), range {low}–{high} · last order {last}</source>
        <translation>{n} 种示例顺序下的准确率：均值 {mean} ± {std}（标准差），范围 {low}–{high} · 最后一种顺序 {last}</translation>
    </message>
    <message>
        <source>Evaluated / total: the rest came from the cache of the shared few-shot prefix</source>
        <translation>已计算 / 总数：其余来自共享少样本前缀的缓存</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>RunComparisonDialog</name>
    <message>
        <source> (calibrated)</source>
        <translation>（已校准）</translation>
    </message>
    <message>
        <source>{shots}-shot</source>
        <translation>{shots} 样本</translation>
    </message>
    <message>
        <source>Compare two runs</source>
        <translation>比较两次运行</translation>
    </message>
    <message>
        <source>Both right on {right}, both wrong on {wrong}; only the items where they differ count as evidence.</source>
        <translation>两者都答对 {right} 个，都答错 {wrong} 个；只有两者不同的条目才算作证据。</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预期</translation>
    </message>
    <message>
        <source>A's output</source>
        <translation>A 的输出</translation>
    </message>
    <message>
        <source>B's output</source>
        <translation>B 的输出</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Items that changed between A and B:</source>
        <translation>A 与 B 之间发生变化的条目：</translation>
    </message>
    <message>
        <source>fixed</source>
        <translation>修正</translation>
    </message>
    <message>
        <source>broken</source>
        <translation>变错</translation>
    </message>
    <message>
        <source>{input}
expected: {expected}
A: {a}
B: {b}</source>
        <translation>{input}
预期：{expected}
A：{a}
B：{b}</translation>
    </message>
</context>
<context>
    <name>RunHistoryModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Accuracy (95% CI)</source>
        <translation>准确率（95% 置信区间）</translation>
    </message>
    <message>
        <source>Shots</source>
        <translation>示例数</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>{shots}-shot</source>
        <translation>{shots} 样本</translation>
    </message>
    <message>
        <source>damaged: {error}</source>
        <translation>已损坏：{error}</translation>
    </message>
    <message>
        <source> · stopped</source>
        <translation> · 已停止</translation>
    </message>
</context>
<context>
    <name>RunSettings</name>
    <message>
        <source>0 always takes the likeliest token (greedy), so every run gives the same answers. Above 0 the answer is drawn, with the seed.</source>
        <translation>为 0 时总是选最可能的词元（贪心），每次运行答案都相同。大于 0 时按种子抽样生成答案。</translation>
    </message>
    <message>
        <source>The longest answer, in tokens. Labels and short answers need few.</source>
        <translation>答案的最大长度（词元）。标签和简短答案只需很少。</translation>
    </message>
    <message>
        <source>Seeds the draw when the temperature is above 0; recorded with every run.</source>
        <translation>温度大于 0 时用于抽样的种子；随每次运行记录。</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
</context>
<context>
    <name>SampleTemplates</name>
    <message>
        <source>Entailment (premise and hypothesis)</source>
        <translation>文本蕴含（英文前提与假设）</translation>
    </message>
    <message>
        <source>Multiple choice (A-D)</source>
        <translation>单项选择题（英文，A–D）</translation>
    </message>
    <message>
        <source>Sentiment (reviews)</source>
        <translation>情感分类（英文评论）</translation>
    </message>
    <message>
        <source>Same meaning? (sentence pairs)</source>
        <translation>语义相同吗？（英文句子对）</translation>
    </message>
</context>
<context>
    <name>ScoringRule</name>
    <message>
        <source>Exact match</source>
        <translation>完全匹配</translation>
    </message>
    <message>
        <source>Normalised match (case and spaces)</source>
        <translation>规范化匹配（忽略大小写和空格）</translation>
    </message>
    <message>
        <source>Output contains the expected text</source>
        <translation>输出包含预期文本</translation>
    </message>
    <message>
        <source>Regular expression</source>
        <translation>正则表达式</translation>
    </message>
    <message>
        <source>Choice letter (A, B, C…)</source>
        <translation>选项字母（A、B、C…）</translation>
    </message>
    <message>
        <source>Most likely answer</source>
        <translation>最可能的答案</translation>
    </message>
</context>
<context>
    <name>SweepChart</name>
    <message>
        <source>95% CI (Wilson) of one run</source>
        <translation>单次运行的 95% 置信区间（Wilson）</translation>
    </message>
    <message>
        <source>range over example orders</source>
        <translation>不同示例顺序的范围</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Accuracy by number of examples</source>
        <translation>准确率随示例数的变化</translation>
    </message>
    <message>
        <source>examples (k)</source>
        <translation>示例数 (k)</translation>
    </message>
    <message>
        <source> ({n} example orders each)</source>
        <translation>（每个数量 {n} 种示例顺序）</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Template name</source>
        <translation>模板名称</translation>
    </message>
    <message>
        <source>Description: what the template is for (optional)</source>
        <translation>描述：模板的用途（可选）</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Start an empty template</source>
        <translation>从空模板开始</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Open a few-shot template (.json)</source>
        <translation>打开少样本模板 (.json)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save the template (the version goes up)</source>
        <translation>保存模板（版本号加一）</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Save the template to a new file</source>
        <translation>将模板保存到新文件</translation>
    </message>
    <message>
        <source>Start from one of the sample templates that come with Parley</source>
        <translation>从 Parley 自带的模板开始</translation>
    </message>
    <message>
        <source>Instruction: what the task is (the system prompt in chat mode)</source>
        <translation>指令：任务是什么（对话模式下作为系统提示词）</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add an empty example</source>
        <translation>添加一个空示例</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected example</source>
        <translation>移除所选示例</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move the selected example earlier</source>
        <translation>将所选示例前移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Move the selected example later</source>
        <translation>将所选示例后移</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add examples from a CSV, TSV or JSONL file</source>
        <translation>从 CSV、TSV 或 JSONL 文件添加示例</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Write the examples to a file</source>
        <translation>将示例写入文件</translation>
    </message>
    <message>
        <source>How each query reads: {input} and any other {name}; \n is a line break</source>
        <translation>每个查询的写法：{input} 及其他任意 {name}；\n 表示换行</translation>
    </message>
    <message>
        <source>Base models continue a document; chat models answer turns in their template</source>
        <translation>基础模型续写文档；对话模型按其模板逐轮回答</translation>
    </message>
    <message>
        <source>Label before each input, e.g. Review:</source>
        <translation>每个输入前的标签，例如“评论：”</translation>
    </message>
    <message>
        <source>Label before each answer, e.g. Sentiment:</source>
        <translation>每个答案前的标签，例如“情感：”</translation>
    </message>
    <message>
        <source>Text between examples; \n is a line break</source>
        <translation>示例之间的文本；\n 表示换行</translation>
    </message>
    <message>
        <source>Pattern for the regular-expression rule</source>
        <translation>正则表达式规则使用的模式</translation>
    </message>
    <message>
        <source>The answers to choose between, separated by commas, e.g. positive, negative. The model scores each
label after the prompt and the most probable one is its answer; nothing is generated.
A label may use {column} fields filled from each test item, e.g. {option_a}, {option_b}.
Write \, for a comma inside a label.</source>
        <translation>可选的答案，用逗号分隔，例如 positive, negative。模型在提示词之后为每个
标签打分，概率最高的就是它的答案；不会生成文本。
标签可以使用由每个测试条目填充的 {column} 字段，例如 {option_a}、{option_b}。
标签内的逗号写作 \,。</translation>
    </message>
    <message>
        <source>Calibrate (content-free inputs)</source>
        <translation>校准（无内容输入）</translation>
    </message>
    <message>
        <source>Divide out the preference the prompt itself gives each label, measured by running it with
content-free inputs (“N/A”, empty, “[MASK]”) in place of the test input.
Zhao et al. 2021, “Calibrate Before Use: Improving Few-Shot Performance of Language Models”.
Labels must not use {column} fields.</source>
        <translation>除去提示词本身对各标签的偏好：用无内容输入（“N/A”、空、“[MASK]”）
代替测试输入运行提示词来测得。
Zhao 等，2021，“Calibrate Before Use: Improving Few-Shot Performance of Language Models”。
标签不能使用 {column} 字段。</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Input label</source>
        <translation>输入标签</translation>
    </message>
    <message>
        <source>Output label</source>
        <translation>输出标签</translation>
    </message>
    <message>
        <source>Separator</source>
        <translation>分隔符</translation>
    </message>
    <message>
        <source>Scoring</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Pattern</source>
        <translation>模式串</translation>
    </message>
    <message>
        <source>Query values for the preview and Run once</source>
        <translation>用于预览和“运行一次”的查询值</translation>
    </message>
    <message>
        <source>Sample templates…</source>
        <translation>内置模板…</translation>
    </message>
    <message>
        <source>value for {{{name}}}</source>
        <translation>{{{name}}} 的值</translation>
    </message>
    <message>
        <source>Completion document (base models)</source>
        <translation>补全文档（基础模型）</translation>
    </message>
    <message>
        <source>Chat turns (chat template)</source>
        <translation>对话轮次（对话模板）</translation>
    </message>
</context>
<context>
    <name>TemplateFiles</name>
    <message>
        <source>Saved {file} (version {version})</source>
        <translation>已保存 {file}（版本 {version}）</translation>
    </message>
    <message>
        <source>Open a few-shot template</source>
        <translation>打开少样本模板</translation>
    </message>
    <message>
        <source>Few-shot templates (*.json)</source>
        <translation>少样本模板 (*.json)</translation>
    </message>
    <message>
        <source>Save the few-shot template</source>
        <translation>保存少样本模板</translation>
    </message>
</context>
<context>
    <name>TokenDetail</name>
    <message>
        <source>Hover over a token to see its id, surprisal and probability.</source>
        <translation>将鼠标悬停在词元上，即可查看其 ID、惊异度和概率。</translation>
    </message>
</context>
<context>
    <name>TryPanel</name>
    <message>
        <source>Run once</source>
        <translation>运行一次</translation>
    </message>
    <message>
        <source>Generate an answer for the query values, with the run settings above</source>
        <translation>用上方的运行设置，为查询值生成一个答案</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
</context>
</TS>
