<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BarChart</name>
    <message>
        <source>(token id {id}, rank {rank})</source>
        <translation>（词元 ID {id}，排名 {rank}）</translation>
    </message>
    <message>
        <source>Model (temperature 1): {share}</source>
        <translation>模型（温度 1）：{share}</translation>
    </message>
    <message>
        <source>Whole list at temperature {temperature}: {share}</source>
        <translation>温度 {temperature} 下的全部候选：{share}</translation>
    </message>
    <message>
        <source>Chance in the draw: {share}</source>
        <translation>抽取时的概率：{share}</translation>
    </message>
    <message>
        <source>Removed by {cut}</source>
        <translation>被 {cut} 截断移除</translation>
    </message>
    <message>
        <source>Temperature 0: never picked</source>
        <translation>温度为 0：不会被选中</translation>
    </message>
    <message>
        <source>This token was chosen here</source>
        <translation>此处选中了这个词元</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>Built-in model · instruction-tuned. {note}</source>
        <translation>内置模型 · 指令微调。{note}</translation>
    </message>
    <message>
        <source>Built-in model · base model. {note}</source>
        <translation>内置模型 · 基础模型。{note}</translation>
    </message>
    <message>
        <source>This model has no chat template of its own, so it may be a base model: few-shot prompts suit it best.</source>
        <translation>此模型没有自带的对话模板，可能是基础模型：最适合使用少样本提示词。</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>unknown quantisation</source>
        <translation>未知量化</translation>
    </message>
    <message>
        <source>context {used}/{size}</source>
        <translation>上下文 {used}/{size}</translation>
    </message>
</context>
<context>
    <name>ChatFiles</name>
    <message>
        <source>There is no saved conversation to export yet: send a message first.</source>
        <translation>还没有可导出的已保存对话：请先发送一条消息。</translation>
    </message>
    <message>
        <source>Could not export the conversation to {path}: {error}</source>
        <translation>无法将对话导出到 {path}：{error}</translation>
    </message>
    <message>
        <source>Exported the conversation to {path}</source>
        <translation>已将对话导出到 {path}</translation>
    </message>
    <message>
        <source>Could not read {path}: {error}</source>
        <translation>无法读取 {path}：{error}</translation>
    </message>
    <message>
        <source>{name} is not valid JSON (line {line}, column {column}).</source>
        <translation>{name} 不是有效的 JSON（第 {line} 行，第 {column} 列）。</translation>
    </message>
    <message>
        <source>{name} is nested too deeply to be a conversation.</source>
        <translation>{name} 嵌套层级过深，不可能是一段对话。</translation>
    </message>
    <message>
        <source>Could not import {name}: {error}</source>
        <translation>无法导入 {name}：{error}</translation>
    </message>
    <message>
        <source>Imported {name}.</source>
        <translation>已导入 {name}。</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export chat</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Import chat</source>
        <translation>导入对话</translation>
    </message>
</context>
<context>
    <name>ChatPersistence</name>
    <message>
        <source>the chat database is locked by another program (for example `parley chats import`)</source>
        <translation>对话数据库被另一个程序锁定（例如 `parley chats import`）</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>the chat database cannot be written ({error})</source>
        <translation>无法写入对话数据库（{error}）</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Parley cannot save this conversation: {error}</source>
        <translation>Parley 无法保存此对话：{error}</translation>
    </message>
    <message>
        <source>Parley could not save part of this conversation: {error}</source>
        <translation>Parley 未能保存此对话的一部分：{error}</translation>
    </message>
    <message>
        <source>Saving again: everything written while saving was paused is now saved.</source>
        <translation>已恢复保存：暂停期间的所有内容现已保存。</translation>
    </message>
    <message>
        <source>Saving is paused: {reason}. Nothing is lost: the chat goes on, and what is not yet saved is kept in memory and saved as soon as the database can be written again.</source>
        <translation>保存已暂停：{reason}。不会丢失任何内容：对话可以继续，尚未保存的内容会保留在内存中，数据库恢复可写后立即保存。</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Type a message below to start. Enter sends, Shift+Enter adds a new line.</source>
        <translation>在下方输入消息即可开始。Enter 发送，Shift+Enter 换行。</translation>
    </message>
    <message>
        <source>Earlier messages above this line no longer fit the context: the model skips them.</source>
        <translation>此线以上的较早消息已超出上下文：模型会跳过它们。</translation>
    </message>
    <message>
        <source>Show %n earlier messages</source>
        <translation>显示前 %n 条消息</translation>
    </message>
    <message>
        <source>(%n not shown)</source>
        <translation>（%n 条未显示）</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>These chats were saved by a newer version of Parley, so this version cannot change them.</source>
        <translation>这些对话由更新版本的 Parley 保存，当前版本无法修改它们。</translation>
    </message>
    <message>
        <source>Search all chats</source>
        <translation>搜索全部对话</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Start a new conversation</source>
        <translation>开始新对话</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Keep the selected chat at the top</source>
        <translation>将所选对话固定在顶部</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Rename the selected chat (F2)</source>
        <translation>重命名所选对话（F2）</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected chat</source>
        <translation>删除所选对话</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Bring the deleted chat back</source>
        <translation>恢复已删除的对话</translation>
    </message>
    <message>
        <source>A chat needs a title; the old one was kept.</source>
        <translation>对话需要标题；已保留原标题。</translation>
    </message>
    <message>
        <source>Deleted “{title}”.</source>
        <translation>已删除“{title}”。</translation>
    </message>
    <message>
        <source>%n message(s)</source>
        <translation>%n 条消息</translation>
    </message>
    <message>
        <source>%n matches</source>
        <translation>%n 处匹配</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
</context>
<context>
    <name>ConversationNavigation</name>
    <message>
        <source>Editing an earlier message: Send makes a new branch from it and the old version stays (the ‹ › arrows switch between them). New chat cancels.</source>
        <translation>正在编辑较早的消息：发送后会从这里创建新分支，旧版本仍会保留（用 ‹ › 箭头切换）。点击“新对话”可取消。</translation>
    </message>
</context>
<context>
    <name>ConversationRows</name>
    <message>
        <source>today {time}</source>
        <translation>今天 {time}</translation>
    </message>
    <message>
        <source>yesterday {time}</source>
        <translation>昨天 {time}</translation>
    </message>
    <message>
        <source>{day} {month}</source>
        <translation>{number}月{day}日</translation>
    </message>
    <message>
        <source>{day} {month} {year}</source>
        <translation>{year}年{number}月{day}日</translation>
    </message>
    <message>
        <source>Jan</source>
        <translation>1月</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>2月</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>3月</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>4月</translation>
    </message>
    <message>
        <source>May</source>
        <translation>5月</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>6月</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>7月</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>8月</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>9月</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>10月</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>11月</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>12月</translation>
    </message>
</context>
<context>
    <name>MarkdownView</name>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>Copy this code</source>
        <translation>复制这段代码</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this message&apos;s text</source>
        <translation>复制这条消息的文本</translation>
    </message>
    <message>
        <source>Show the previous version</source>
        <translation>显示上一个版本</translation>
    </message>
    <message>
        <source>Show the next version</source>
        <translation>显示下一个版本</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit this message and send it again as a new branch</source>
        <translation>编辑这条消息，并作为新分支重新发送</translation>
    </message>
    <message>
        <source>Show the whole message (it may take a moment)</source>
        <translation>显示完整消息（可能需要一点时间）</translation>
    </message>
    <message>
        <source>Save as file…</source>
        <translation>另存为文件…</translation>
    </message>
    <message>
        <source>Save the whole message to a file</source>
        <translation>将完整消息保存到文件</translation>
    </message>
    <message>
        <source>Save message as</source>
        <translation>消息另存为</translation>
    </message>
    <message>
        <source>Markdown (*.md);;Text (*.txt);;All files (*)</source>
        <translation>Markdown (*.md);;文本 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Show all ({count} characters)</source>
        <translation>全部显示（{count} 个字符）</translation>
    </message>
</context>
<context>
    <name>MessageInput</name>
    <message>
        <source>Message the model… (Enter sends, Shift+Enter for a new line)</source>
        <translation>给模型发消息…（Enter 发送，Shift+Enter 换行）</translation>
    </message>
</context>
<context>
    <name>RawPromptFeed</name>
    <message>
        <source>{template}, by Parley (completion mode) for {engine}</source>
        <translation>{template}，由 Parley 渲染（补全模式），发送给 {engine}</translation>
    </message>
</context>
<context>
    <name>RawPromptView</name>
    <message>
        <source>Show the prompt as the model reads it: each token on its own shade, special tokens in purple. Hover a token for its id and section.</source>
        <translation>按模型读取的方式显示提示词：每个词元各有底色，特殊词元为紫色。悬停在词元上可查看其 ID 和所属部分。</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>examples</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>history</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>new message</source>
        <translation>新消息</translation>
    </message>
    <message>
        <source>template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>The rendered prompt appears here once a model is loaded.</source>
        <translation>加载模型后，渲染出的提示词会显示在这里。</translation>
    </message>
    <message>
        <source>Show tokens</source>
        <translation>显示词元</translation>
    </message>
    <message>
        <source>Tokens of the system prompt, few-shot examples, earlier messages and the new message (with the text that asks for the reply). Template: tokens outside any message, such as the start-of-text token.</source>
        <translation>系统提示词、少样本示例、较早消息和新消息（含请求回复的文本）各自的词元数。模板：不属于任何消息的词元，例如文本起始词元。</translation>
    </message>
    <message>
        <source>[… {count} characters not shown …]</source>
        <translation>[… 还有 {count} 个字符未显示 …]</translation>
    </message>
    <message>
        <source>Rendered with: {template}. The next reply is generated after this text.</source>
        <translation>渲染模板：{template}。下一条回复会接在这段文本之后生成。</translation>
    </message>
    <message>
        <source>Counting tokens…</source>
        <translation>正在统计词元…</translation>
    </message>
    <message>
        <source>%n earlier messages are left out: they no longer fit the context.</source>
        <translation>有 %n 条较早的消息被省略：它们已超出上下文。</translation>
    </message>
    <message>
        <source>{count} tokens of {size} in the context</source>
        <translation>已用上下文 {count}/{size} 个词元</translation>
    </message>
    <message>
        <source>more than {count} tokens: too long for the context of {size}</source>
        <translation>超过 {count} 个词元：超出 {size} 的上下文长度</translation>
    </message>
    <message>
        <source>{counts} tokens</source>
        <translation>词元：{counts}</translation>
    </message>
    <message>
        <source>This prompt has more than {count} tokens, too many to show one by one.</source>
        <translation>此提示词超过 {count} 个词元，太多，无法逐个显示。</translation>
    </message>
</context>
<context>
    <name>SamplingPanel</name>
    <message>
        <source>How adventurous the word choice is. 0 always picks the most likely next token; higher values flatten the odds so unlikely words get picked more often.</source>
        <translation>选词有多大胆。0 总是选择最可能的下一个词元；数值越高，概率分布越平坦，不太可能的词被选中的机会越多。</translation>
    </message>
    <message>
        <source>Keep only the smallest set of likely tokens whose probabilities add up to this share, then pick among them. 1 keeps everything.</source>
        <translation>只保留概率之和达到这一比例的最小候选词元集合，再从中选择。1 表示全部保留。</translation>
    </message>
    <message>
        <source>Pick only among this many most likely tokens. 0 turns the limit off.</source>
        <translation>只在这么多个最可能的词元中选择。0 表示不限制。</translation>
    </message>
    <message>
        <source>Drop tokens less likely than this fraction of the most likely token&apos;s probability.</source>
        <translation>丢弃概率低于最可能词元概率这一比例的词元。</translation>
    </message>
    <message>
        <source>Makes tokens that appeared recently less likely, to avoid loops. 1 means no penalty.</source>
        <translation>降低最近出现过的词元的概率，以避免重复循环。1 表示不惩罚。</translation>
    </message>
    <message>
        <source>The longest reply, in tokens, before generation stops by itself.</source>
        <translation>回复的最大长度（词元数），达到后自动停止生成。</translation>
    </message>
    <message>
        <source>Fixes the random choices so the same prompt and settings give the same reply. &apos;Random&apos; uses a new seed every time.</source>
        <translation>固定随机选择，使相同的提示词和设置得到相同的回复。“随机”表示每次使用新的种子。</translation>
    </message>
    <message>
        <source>Starting points: Precise for facts and code, Creative for stories.</source>
        <translation>预设起点：“精确”适合事实和代码，“创意”适合写故事。</translation>
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
        <source>Record top</source>
        <translation>记录前</translation>
    </message>
    <message>
        <source>Keep, for every generated token, how likely it was and the most likely alternatives. Show them with “Token probabilities” under the chat.</source>
        <translation>为每个生成的词元记录其概率和最可能的候选词元。用对话下方的“词元概率”查看。</translation>
    </message>
    <message>
        <source>How many of the likeliest alternatives to keep for each generated token.</source>
        <translation>每个生成的词元要保留多少个最可能的候选。</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Probabilities</source>
        <translation>概率</translation>
    </message>
</context>
<context>
    <name>SamplingView</name>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Click a word in a reply (with token probabilities on) to see how that token was picked, or press “Next token after the prompt”.</source>
        <translation>点击回复中的某个词（需开启词元概率）查看该词元是如何被选中的，或点击“提示词之后的下一个词元”。</translation>
    </message>
    <message>
        <source>The cut-offs drop unlikely tokens (grey) by the model&apos;s own odds, temperature reshapes the rest, and the draw picks by the blue bars.</source>
        <translation>截断按模型自身的概率去掉不太可能的词元（灰色），温度重塑其余词元的概率，最终按蓝色条抽取。</translation>
    </message>
    <message>
        <source>Next-token sampling</source>
        <translation>下一个词元的采样</translation>
    </message>
    <message>
        <source>How many of the likeliest tokens to show</source>
        <translation>显示多少个最可能的词元</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Uncertainty is the entropy of the model&apos;s odds: 0 bits when it is certain, log2(n) bits when it spreads evenly over n tokens.</source>
        <translation>不确定性是模型概率分布的熵：完全确定时为 0 比特；在 n 个词元上均匀分布时为 n 的以 2 为底的对数比特（例如 4 个词元为 2 比特）。</translation>
    </message>
    <message>
        <source>Grey-blue: the model&apos;s own odds. Orange: the same at the chosen temperature. Blue: what the draw really uses, after top-k, top-p and min-p and temperature.</source>
        <translation>灰蓝色：模型自身的概率。橙色：在所选温度下的概率。蓝色：经过 top-k、top-p、min-p 和温度之后，抽取时实际使用的概率。</translation>
    </message>
    <message>
        <source>Next token after the prompt</source>
        <translation>提示词之后的下一个词元</translation>
    </message>
    <message>
        <source>Show what the model would say first, given the current conversation</source>
        <translation>显示在当前对话之后模型首先会说什么</translation>
    </message>
    <message>
        <source>The model returned no usable probabilities for this step.</source>
        <translation>模型在这一步没有返回可用的概率。</translation>
    </message>
    <message>
        <source>temperature 0: greedy</source>
        <translation>温度 0：贪心</translation>
    </message>
    <message>
        <source>{cut} cut-off</source>
        <translation>{cut} 截断</translation>
    </message>
    <message>
        <source>Next token</source>
        <translation>下一个词元</translation>
    </message>
    <message>
        <source>uncertainty {bits} bits</source>
        <translation>不确定性 {bits} 比特</translation>
    </message>
    <message>
        <source>chosen: rank {rank}</source>
        <translation>选中：排名 {rank}</translation>
    </message>
    <message>
        <source>Temperature 0: always the likeliest token (the cut-offs are skipped)</source>
        <translation>温度 0：总是选择最可能的词元（跳过截断）</translation>
    </message>
    <message>
        <source>Kept {count} after top-k (off)</source>
        <translation>top-k 后保留 {count} 个（已关闭）</translation>
    </message>
    <message>
        <source>Kept {count} after top-k</source>
        <translation>top-k 后保留 {count} 个</translation>
    </message>
    <message>
        <source>{count} after top-p</source>
        <translation>top-p 后 {count} 个</translation>
    </message>
    <message>
        <source>{count} after min-p</source>
        <translation>min-p 后 {count} 个</translation>
    </message>
    <message>
        <source>model (T=1)</source>
        <translation>模型（T=1）</translation>
    </message>
    <message>
        <source>all at T={temperature}</source>
        <translation>全部，T={temperature}</translation>
    </message>
    <message>
        <source>draw, after cut-offs</source>
        <translation>抽取（截断后）</translation>
    </message>
    <message>
        <source>chosen</source>
        <translation>选中</translation>
    </message>
</context>
<context>
    <name>SystemPromptEditor</name>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Helpful assistant</source>
        <translation>乐于助人的助手</translation>
    </message>
    <message>
        <source>You are a helpful assistant. Answer clearly and concisely.</source>
        <translation>你是一个乐于助人的助手。请清晰、简洁地回答。</translation>
    </message>
    <message>
        <source>Concise expert</source>
        <translation>简明专家</translation>
    </message>
    <message>
        <source>You are an expert. Give short, precise answers. Say when you are unsure.</source>
        <translation>你是一位专家。请给出简短、准确的回答。不确定时请直说。</translation>
    </message>
    <message>
        <source>Code helper</source>
        <translation>编程助手</translation>
    </message>
    <message>
        <source>You are a programming assistant. Answer with working code in fenced code blocks and a brief explanation.</source>
        <translation>你是一个编程助手。请用围栏代码块给出可运行的代码，并附上简短说明。</translation>
    </message>
    <message>
        <source>Translator</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Translate the user&apos;s message into English. Reply with the translation only.</source>
        <translation>把用户的消息翻译成英文。只回复译文。</translation>
    </message>
    <message>
        <source>Starter prompts…</source>
        <translation>入门提示词…</translation>
    </message>
    <message>
        <source>Fill the system prompt with a starting point you can edit.</source>
        <translation>用一个可编辑的起点填充系统提示词。</translation>
    </message>
    <message>
        <source>Instructions the model sees before the conversation (the system prompt).</source>
        <translation>模型在对话开始前看到的指令（系统提示词）。</translation>
    </message>
    <message>
        <source>Sent in front of every turn of this conversation. Changes apply to the next reply.</source>
        <translation>在此对话的每一轮前发送。修改会在下一条回复时生效。</translation>
    </message>
</context>
</TS>
