<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BuiltinMissingError</name>
    <message>
        <source>This copy of Parley does not include the built-in model, and there is no model in your library yet. Download one on the Hugging Face page (the built-in one is Gemma 3 270M: search “{search}”), or add a .gguf file on the Models page.</source>
        <translation>此版本的 Parley 未附带内置模型，你的模型库中也还没有模型。请在 Hugging Face 页面下载一个（内置模型是 Gemma 3 270M：搜索“{search}”），或在“模型”页面添加一个 .gguf 文件。</translation>
    </message>
</context>
<context>
    <name>BuiltinModel</name>
    <message>
        <source>Gemma 3 270M is a small base model: it continues text rather than following instructions. Few-shot prompts (a few worked examples before your question) suit it best.</source>
        <translation>Gemma 3 270M 是一个小型基础模型：它会续写文本，而不是遵循指令。最适合少样本提示词（在问题前给出几个示例）。它很小，中文续写能力有限，常会出错或转回英文。</translation>
    </message>
    <message>
        <source>SmolLM2 135M Instruct is a small instruction-tuned model: it answers questions and follows requests. It is tiny, so expect simple answers; facts are often wrong.</source>
        <translation>SmolLM2 135M Instruct 是一个小型指令微调模型：它会回答问题、按要求行事。它非常小，回复会很简单，事实也常常出错。它主要用英文训练，几乎不会用中文回复：想用中文对话，请在模型库中换一个更大的多语言模型。</translation>
    </message>
</context>
<context>
    <name>ChatDatabase</name>
    <message>
        <source>Chats in this session are kept in memory only: they are not saved.</source>
        <translation>本次会话中的对话只保存在内存中，不会被保存。</translation>
    </message>
    <message>
        <source>then restart Parley (or start it with --data-dir on another folder)</source>
        <translation>然后重新启动 Parley（或用 --data-dir 指定另一个文件夹启动）</translation>
    </message>
    <message>
        <source>Parley cannot use {folder} as its data folder ({why}). {not_saved} Make it a writable folder, {restart}.</source>
        <translation>Parley 无法使用 {folder} 作为数据文件夹（{why}）。{not_saved}请让它成为可写的文件夹，{restart}。</translation>
    </message>
    <message>
        <source>Parley's chat database {path} is a folder, not a file. {not_saved} Move that folder away (Parley then starts a new database), {restart}.</source>
        <translation>Parley 的对话数据库 {path} 是一个文件夹，而不是文件。{not_saved}请把该文件夹移走（Parley 随后会新建数据库），{restart}。</translation>
    </message>
    <message>
        <source>{path} is not a Parley chat database ({why}), so Parley leaves it as it is. {not_saved} Move that file away, {restart}.</source>
        <translation>{path} 不是 Parley 的对话数据库（{why}），Parley 不会改动它。{not_saved}请把该文件移走，{restart}。</translation>
    </message>
    <message>
        <source>{why}: the disk is read-only</source>
        <translation>{why}：磁盘是只读的</translation>
    </message>
    <message>
        <source>{why}: the disk is full</source>
        <translation>{why}：磁盘已满</translation>
    </message>
    <message>
        <source>{why}: no permission to write there</source>
        <translation>{why}：没有写入权限</translation>
    </message>
    <message>
        <source>its schema version {version} is not one Parley knows</source>
        <translation>其结构版本 {version} 不是 Parley 认识的版本</translation>
    </message>
    <message>
        <source>This chat database's schema version ({version}) is not one Parley knows, so it is open read-only.</source>
        <translation>此对话数据库的结构版本（{version}）不是 Parley 认识的版本，因此以只读方式打开。</translation>
    </message>
    <message>
        <source>Parley's chat database {path} has a schema version Parley does not know ({version}), so your conversations are shown read-only and new chats are not saved. To save again, move that file away (Parley then starts a new database) and restart Parley.</source>
        <translation>Parley 的对话数据库 {path} 的结构版本 Parley 不认识（{version}），因此你的对话以只读方式显示，新对话不会被保存。若要恢复保存，请把该文件移走（Parley 随后会新建数据库）并重新启动 Parley。</translation>
    </message>
    <message>
        <source>its schema version {version} is newer than Parley's</source>
        <translation>其结构版本 {version} 比 Parley 的更新</translation>
    </message>
    <message>
        <source>it holds other tables: {tables}</source>
        <translation>其中有其他数据表：{tables}</translation>
    </message>
    <message>
        <source>Parley cannot create its chat database {path} ({why}). {not_saved} Free some disk space or make {folder} writable, {restart}.</source>
        <translation>Parley 无法创建对话数据库 {path}（{why}）。{not_saved}请释放一些磁盘空间或让 {folder} 可写，{restart}。</translation>
    </message>
    <message>
        <source>Parley cannot write to its chat database ({why}), so it is open read-only.</source>
        <translation>Parley 无法写入对话数据库（{why}），因此以只读方式打开。</translation>
    </message>
    <message>
        <source>Parley cannot write to its chat database {path} ({why}), so your conversations are shown read-only and new chats are not saved. Free some disk space or make {folder} writable, then restart Parley.</source>
        <translation>Parley 无法写入对话数据库 {path}（{why}），因此你的对话以只读方式显示，新对话不会被保存。请释放一些磁盘空间或让 {folder} 可写，然后重新启动 Parley。</translation>
    </message>
    <message>
        <source>Parley cannot open its chat database {path} ({why}). {not_saved} Free some disk space or make {folder} writable, {restart}.</source>
        <translation>Parley 无法打开对话数据库 {path}（{why}）。{not_saved}请释放一些磁盘空间或让 {folder} 可写，{restart}。</translation>
    </message>
    <message>
        <source>Parley's chat database {path} is damaged and could not be set aside ({why}). {count} could still be read and are shown. {not_saved} Move the damaged file away, {restart}.</source>
        <translation>Parley 的对话数据库 {path} 已损坏，且无法移到一旁（{why}）。仍能读出 {count}，已显示出来。{not_saved}请把损坏的文件移走，{restart}。</translation>
    </message>
    <message>
        <source>Parley's chat database was damaged; it was set aside as {copy}, and a new one could not be created at {path} ({why}). {count} could still be read and are shown. {not_saved}</source>
        <translation>Parley 的对话数据库已损坏；它已另存为 {copy}，但无法在 {path} 新建数据库（{why}）。仍能读出 {count}，已显示出来。{not_saved}</translation>
    </message>
    <message>
        <source>Parley's chat database was damaged and was set aside as {copy}; the conversations that could still be read could not be copied into the new one ({why}).</source>
        <translation>Parley 的对话数据库已损坏，已另存为 {copy}；仍能读出的对话无法复制到新数据库中（{why}）。</translation>
    </message>
    <message>
        <source>Parley's chat database was damaged. {count} ({messages} messages) could still be read and were copied into a new database; the damaged file was set aside as {copy}.</source>
        <translation>Parley 的对话数据库已损坏。仍能读出 {count}（{messages} 条消息），已复制到新数据库中；损坏的文件已另存为 {copy}。</translation>
    </message>
    <message>
        <source>Parley's chat database was damaged and could not be read. It was set aside as {copy} and a new, empty one was started.</source>
        <translation>Parley 的对话数据库已损坏，无法读取。它已另存为 {copy}，并新建了一个空数据库。</translation>
    </message>
    <message>
        <source>%n conversation</source>
        <translation>%n 个对话</translation>
    </message>
    <message>
        <source>%n conversations</source>
        <translation>%n 个对话</translation>
    </message>
</context>
<context>
    <name>ChatStore</name>
    <message>
        <source>This chat database was made by a newer version of Parley (schema {version}; this version knows {known}), so it is open read-only. Update Parley to change it.</source>
        <translation>此对话数据库由更新版本的 Parley 创建（结构版本 {version}；本版本支持到 {known}），因此以只读方式打开。请更新 Parley 后再修改它。</translation>
    </message>
    <message>
        <source>Cannot write to the chat database: {error}</source>
        <translation>无法写入对话数据库：{error}</translation>
    </message>
    <message>
        <source>There is no conversation {id}.</source>
        <translation>不存在对话 {id}。</translation>
    </message>
    <message>
        <source>Message {message} is not part of conversation {id}.</source>
        <translation>消息 {message} 不属于对话 {id}。</translation>
    </message>
    <message>
        <source>There is no message {id}.</source>
        <translation>不存在消息 {id}。</translation>
    </message>
    <message>
        <source>Setting {key} cannot be saved: {error}</source>
        <translation>无法保存设置 {key}：{error}</translation>
    </message>
    <message>
        <source>Cannot import this conversation: {error}</source>
        <translation>无法导入此对话：{error}</translation>
    </message>
</context>
<context>
    <name>ConversationImport</name>
    <message>
        <source>{where} has content Parley cannot store (only text parts are supported)</source>
        <translation>{where} 包含 Parley 无法保存的内容（仅支持文本部分）</translation>
    </message>
    <message>
        <source>{where} content must be text, not {kind}</source>
        <translation>{where} 的内容必须是文本，而不是 {kind}</translation>
    </message>
    <message>
        <source>{where} has role {role}; Parley stores only {roles}</source>
        <translation>{where} 的角色为 {role}；Parley 只保存 {roles}</translation>
    </message>
    <message>
        <source>"parley.branches" must be a list</source>
        <translation>"parley.branches" 必须是列表</translation>
    </message>
    <message>
        <source>branch message {number}</source>
        <translation>分支消息 {number}</translation>
    </message>
    <message>
        <source>{where} is not an object</source>
        <translation>{where} 不是对象</translation>
    </message>
    <message>
        <source>{where} needs a unique whole-number id</source>
        <translation>{where} 需要一个唯一的整数 id</translation>
    </message>
    <message>
        <source>{where} has a parent_id that is not a whole number</source>
        <translation>{where} 的 parent_id 不是整数</translation>
    </message>
    <message>
        <source>branch message {number} is its own ancestor</source>
        <translation>分支消息 {number} 是它自己的祖先</translation>
    </message>
    <message>
        <source>branch message {number} has parent {parent}, which is not in the file</source>
        <translation>分支消息 {number} 的父消息 {parent} 不在文件中</translation>
    </message>
    <message>
        <source>expected a JSON object with a "messages" list</source>
        <translation>应为包含 "messages" 列表的 JSON 对象</translation>
    </message>
    <message>
        <source>message {number}</source>
        <translation>消息 {number}</translation>
    </message>
</context>
<context>
    <name>DataError</name>
    <message>
        <source>The data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>no extension</source>
        <translation>无扩展名</translation>
    </message>
    <message>
        <source>{file}: unsupported file type ({suffix}). Use a .csv, .tsv or .jsonl file.</source>
        <translation>{file}：不支持的文件类型（{suffix}）。请使用 .csv、.tsv 或 .jsonl 文件。</translation>
    </message>
    <message>
        <source>Could not read {path}: {error}.</source>
        <translation>无法读取 {path}：{error}。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the file is not UTF-8 text. Save it as UTF-8 (in Excel: “CSV UTF-8”; in an editor: encoding UTF-8) and open it again.</source>
        <translation>{file} 第 {line} 行：该文件不是 UTF-8 文本。请将其另存为 UTF-8（在 Excel 中选择“CSV UTF-8”；在编辑器中选择 UTF-8 编码）后重新打开。</translation>
    </message>
    <message>
        <source>{file} is empty. Add a header line and at least one row.</source>
        <translation>{file} 是空的。请添加一行表头和至少一行数据。</translation>
    </message>
    <message>
        <source>{file} has no data rows (only a header or empty lines). Add at least one row.</source>
        <translation>{file} 中没有数据行（只有表头或空行）。请至少添加一行数据。</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>comma</source>
        <translation>逗号</translation>
    </message>
    <message>
        <source>{file}, line {line}: cannot read this row ({error}). Check its quotes: text containing quotes or a {kind} must be wrapped in double quotes, with inner quotes doubled ("").</source>
        <translation>{file} 第 {line} 行：无法读取这一行（{error}）。请检查引号：含有引号或{kind}的文本必须用双引号括起来，其中的引号要写两遍（""）。</translation>
    </message>
    <message>
        <source>{file}, line {line}: {values} values but the header has {columns} columns. Check for a missing or extra {kind}, or put text containing one in double quotes.</source>
        <translation>{file} 第 {line} 行：有 {values} 个值，但表头有 {columns} 列。请检查是否缺少或多出了{kind}，或把含有{kind}的文本放在双引号中。</translation>
    </message>
    <message>
        <source>{file}, line {line}: column {index} of the header has no name. Name every column.</source>
        <translation>{file} 第 {line} 行：表头第 {index} 列没有名称。请为每一列命名。</translation>
    </message>
    <message>
        <source>{file}, line {line}: the column name “{column}” appears twice. Give every column a different name.</source>
        <translation>{file} 第 {line} 行：列名“{column}”出现了两次。请为每一列取不同的名称。</translation>
    </message>
    <message>
        <source>{file}, line {line}: not valid JSON ({error}, column {column}). Each line must be one JSON object.</source>
        <translation>{file} 第 {line} 行：不是有效的 JSON（{error}，第 {column} 列）。每一行必须是一个 JSON 对象。</translation>
    </message>
    <message>
        <source>{file}, line {line}: nested too deeply. Each line must be one flat JSON object of text values.</source>
        <translation>{file} 第 {line} 行：嵌套太深。每一行必须是一个只含文本值的扁平 JSON 对象。</translation>
    </message>
    <message>
        <source>{file}, line {line}: expected a JSON object such as {example}, not {kind}.</source>
        <translation>{file} 第 {line} 行：应为 JSON 对象（例如 {example}），而不是 {kind}。</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}.</source>
        <translation>无法写入 {path}：{error}。</translation>
    </message>
    <message>
        <source>The data has no columns. Add a header line naming them.</source>
        <translation>数据中没有列。请添加一行表头为各列命名。</translation>
    </message>
    <message>
        <source>{file} has no column “{column}” (chosen as the {role}). Its columns are: {columns}. Choose one of those.</source>
        <translation>{file} 中没有列“{column}”（被选作{role}）。它的列有：{columns}。请从中选择一列。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{file}, line {line}: no value for “{column}”. Add it to this row or remove the row.</source>
        <translation>{file} 第 {line} 行：“{column}”没有值。请在这一行补上，或删除这一行。</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>{file}: choose the column that holds the answers (output) to import rows as examples.</source>
        <translation>{file}：请选择存放答案（输出）的列，才能把各行导入为示例。</translation>
    </message>
    <message>
        <source>expected answer</source>
        <translation>预期答案</translation>
    </message>
    <message>
        <source>value of {variable}</source>
        <translation>{variable} 的值</translation>
    </message>
    <message>
        <source>The template uses {variable} but {file} has no “{name}” column. Rename a column to “{name}” or map one to {variable}.</source>
        <translation>模板使用了 {variable}，但 {file} 中没有“{name}”列。请把某一列重命名为“{name}”，或把一列对应到 {variable}。</translation>
    </message>
    <message>
        <source>null</source>
        <translation>空值（null）</translation>
    </message>
    <message>
        <source>true/false</source>
        <translation>布尔值（true/false）</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>{file}, line {line}</source>
        <translation>{file} 第 {line} 行</translation>
    </message>
    <message>
        <source>{where}: no “input”. Each line of an OpenAI Evals file needs "input" (the question, or a list of messages such as {example}) and "ideal" (the answer).</source>
        <translation>{where}：没有“input”。OpenAI Evals 文件的每一行都需要 "input"（问题，或消息列表，例如 {example}）和 "ideal"（答案）。</translation>
    </message>
    <message>
        <source>{where}: the field “{key}” clashes with the {key} Parley takes from the messages in “input”. Rename the field.</source>
        <translation>{where}：字段“{key}”与 Parley 从“input”的消息中取得的 {key} 冲突。请重命名该字段。</translation>
    </message>
    <message>
        <source>{where}: “input” is {kind}. Write the question as text, or as a list of messages such as {example}.</source>
        <translation>{where}：“input”是{kind}。请把问题写成文本，或写成消息列表，例如 {example}。</translation>
    </message>
    <message>
        <source>message {number} of “input”</source>
        <translation>“input”的第 {number} 条消息</translation>
    </message>
    <message>
        <source>{where}: {what} is {kind}, not a message such as {example}.</source>
        <translation>{where}：{what}是{kind}，而不是像 {example} 这样的消息。</translation>
    </message>
    <message>
        <source>{where}: {what} has no role. Give it "role": "system", "user" or "assistant".</source>
        <translation>{where}：{what}没有角色。请为其添加 "role": "system"、"user" 或 "assistant"。</translation>
    </message>
    <message>
        <source>{where}: {what} has no content text. Give it "content" with the message as text.</source>
        <translation>{where}：{what}没有内容文本。请为其添加 "content"，以文本写出消息。</translation>
    </message>
    <message>
        <source>{where}: {what} has the role “{role}”. Parley reads system, user and assistant messages; change its role or remove it.</source>
        <translation>{where}：{what}的角色是“{role}”。Parley 只读取 system、user 和 assistant 消息；请更改其角色或删除它。</translation>
    </message>
    <message>
        <source>{where}: “input” has no user message. Add {example} with the question.</source>
        <translation>{where}：“input”中没有用户消息。请添加带有问题的 {example}。</translation>
    </message>
    <message>
        <source>{where}: message {number} of “input” comes after the last user message. Parley asks the model the last user message, so end “input” with it.</source>
        <translation>{where}：“input”的第 {number} 条消息位于最后一条用户消息之后。Parley 会向模型提问最后一条用户消息，因此请让“input”以它结尾。</translation>
    </message>
    <message>
        <source>{where}: no “ideal” answer. Add "ideal": "..." with the expected answer (or a list of acceptable answers).</source>
        <translation>{where}：没有“ideal”答案。请添加 "ideal": "..."，写出期望的答案（或可接受答案的列表）。</translation>
    </message>
    <message>
        <source>{where}: “ideal” is an empty list. Put at least one acceptable answer in it.</source>
        <translation>{where}：“ideal”是空列表。请在其中放入至少一个可接受的答案。</translation>
    </message>
    <message>
        <source>answer {number} of “ideal”</source>
        <translation>“ideal”的第 {number} 个答案</translation>
    </message>
    <message>
        <source>{where}: {what} is {kind}, not text. Write the expected answer as text, e.g. "ideal": "Paris", or a list of texts.</source>
        <translation>{where}：{what}是{kind}，不是文本。请以文本写出期望的答案，例如 "ideal": "Paris"，或写成文本列表。</translation>
    </message>
    <message>
        <source>{where}: {what} is empty. Write the expected answer there, or remove the line.</source>
        <translation>{where}：{what}为空。请在此写出期望的答案，或删除这一行。</translation>
    </message>
    <message>
        <source>{file}, line {line}, field “{key}”: expected text or a number, not a list.</source>
        <translation>{file} 第 {line} 行，字段“{key}”：应为文本或数字，而不是列表。</translation>
    </message>
    <message>
        <source>{file}, line {line}, field “{key}”: expected text or a number, not a nested object.</source>
        <translation>{file} 第 {line} 行，字段“{key}”：应为文本或数字，而不是嵌套对象。</translation>
    </message>
    <message>
        <source>{where}: “{column}” has an answer but “{first}” is empty. Put the first answer in “{first}”.</source>
        <translation>{where}：“{column}”中有答案，但“{first}”为空。请把第一个答案放在“{first}”中。</translation>
    </message>
    <message>
        <source>no prefix</source>
        <translation>无前缀</translation>
    </message>
    <message>
        <source>{where}: “{column}” ({other}) is checked differently from “{first}” ({prefix}). Parley reads every __expected column as another acceptable answer, so give them the same prefix.</source>
        <translation>{where}：“{column}”（{other}）与“{first}”（{prefix}）的检查方式不同。Parley 把每个 __expected 列都当作另一个可接受的答案，因此请给它们相同的前缀。</translation>
    </message>
    <message>
        <source>{where}, column “{column}”: the promptfoo check “{prefix}” is not one Parley can score. Parley reads {supported} or a plain answer (scored by the run's rule); change the cell or remove the row.</source>
        <translation>{where}，列“{column}”：Parley 无法评分 promptfoo 检查“{prefix}”。Parley 读取 {supported} 或普通答案（按本次运行的规则评分）；请修改该单元格或删除这一行。</translation>
    </message>
    <message>
        <source>{where}, column “{column}”: nothing after “{prefix}”. Write the expected text after it, or leave the cell empty.</source>
        <translation>{where}，列“{column}”：“{prefix}”之后没有内容。请在其后写出期望的文本，或让该单元格留空。</translation>
    </message>
    <message>
        <source>{where}, column “{column}”: {error} Fix the pattern after “regex:”.</source>
        <translation>{where}，列“{column}”：{error}请修正“regex:”之后的模式。</translation>
    </message>
</context>
<context>
    <name>DataFolderError</name>
    <message>
        <source>Parley cannot use {folder} as a data folder: {part} is a file, not a folder.</source>
        <translation>Parley 无法使用 {folder} 作为数据文件夹：{part} 是一个文件，而不是文件夹。</translation>
    </message>
    <message>
        <source>Parley cannot create the folder {folder}: {error}.</source>
        <translation>Parley 无法创建文件夹 {folder}：{error}。</translation>
    </message>
</context>
<context>
    <name>EngineConfig</name>
    <message>
        <source>Give the engine a name, such as “gpu-box”.</source>
        <translation>请为引擎取一个名称，例如“gpu-box”。</translation>
    </message>
    <message>
        <source>The engine's name is too long: keep it under {count} characters.</source>
        <translation>引擎名称太长：请控制在 {count} 个字符以内。</translation>
    </message>
    <message>
        <source>The engine's name cannot contain “/” or control characters.</source>
        <translation>引擎名称不能包含“/”或控制字符。</translation>
    </message>
    <message>
        <source>There is already an engine called “{name}”: choose another name.</source>
        <translation>已有名为“{name}”的引擎：请换一个名称。</translation>
    </message>
    <message>
        <source>The URL must start with http:// or https:// and name a server, such as http://gpu-box:8080 (llama-server) or http://gpu-box:8000 (vLLM).</source>
        <translation>URL 必须以 http:// 或 https:// 开头并指明服务器，例如 http://gpu-box:8080（llama-server）或 http://gpu-box:8000（vLLM）。</translation>
    </message>
    <message>
        <source>The URL's port is not a number.</source>
        <translation>URL 中的端口不是数字。</translation>
    </message>
    <message>
        <source>The URL should be the server's base address, without ?query or #fragment.</source>
        <translation>URL 应为服务器的基础地址，不要带 ?查询参数 或 #片段。</translation>
    </message>
    <message>
        <source>{name} is reached over plain http:// on another machine: your prompts and the replies travel unencrypted over the network. Use https:// (or an SSH tunnel to a loopback address) to keep them private.</source>
        <translation>{name} 位于另一台机器上，通过明文 http:// 连接：你的提示词和回复会以未加密的形式在网络中传输。请使用 https://（或通过 SSH 隧道连接到回环地址）以保护隐私。</translation>
    </message>
    <message>
        <source>Offline mode is on, so Parley does not connect to {name}, which is not on this computer. Turn off File › Offline mode to use it.</source>
        <translation>离线模式已开启，因此 Parley 不会连接不在本机上的 {name}。要使用它，请关闭“文件 › 离线模式”。</translation>
    </message>
    <message>
        <source>{model} on {engine}</source>
        <translation>{engine} 上的 {model}</translation>
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
    <name>ExperimentError</name>
    <message>
        <source>{where} sampling</source>
        <translation>{where}的采样设置</translation>
    </message>
    <message>
        <source>This is not a Parley experiment: the file is not valid JSON ({error}).</source>
        <translation>这不是 Parley 实验：文件不是有效的 JSON（{error}）。</translation>
    </message>
    <message>
        <source>This is not a Parley experiment: its JSON is nested too deeply.</source>
        <translation>这不是 Parley 实验：其 JSON 嵌套太深。</translation>
    </message>
    <message>
        <source>This is not a Parley experiment file.</source>
        <translation>这不是 Parley 实验文件。</translation>
    </message>
    <message>
        <source>This experiment was saved by a newer version of Parley; update Parley to open it.</source>
        <translation>此实验由更新版本的 Parley 保存；请更新 Parley 后再打开。</translation>
    </message>
    <message>
        <source>This experiment file is damaged: it must have 1 to {count} columns.</source>
        <translation>此实验文件已损坏：它必须有 1 到 {count} 列。</translation>
    </message>
    <message>
        <source>column {number}</source>
        <translation>第 {number} 列</translation>
    </message>
    <message>
        <source>column {number} result</source>
        <translation>第 {number} 列的结果</translation>
    </message>
    <message>
        <source>the experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>This experiment file is damaged: {where} is not an object.</source>
        <translation>此实验文件已损坏：{where}不是对象。</translation>
    </message>
    <message>
        <source>This experiment file is damaged: {where} has a {key} that is not text.</source>
        <translation>此实验文件已损坏：{where}的 {key} 不是文本。</translation>
    </message>
    <message>
        <source>This experiment file is damaged: {where} has a {key} that is not a number.</source>
        <translation>此实验文件已损坏：{where}的 {key} 不是数字。</translation>
    </message>
    <message>
        <source>This experiment file is damaged: {where}: {error}.</source>
        <translation>此实验文件已损坏：{where}：{error}。</translation>
    </message>
    <message>
        <source>Could not save the experiment in {folder}: {error}</source>
        <translation>无法把实验保存到 {folder}：{error}</translation>
    </message>
    <message>
        <source>Could not read {file}: {error}</source>
        <translation>无法读取 {file}：{error}</translation>
    </message>
</context>
<context>
    <name>FewShotError</name>
    <message>
        <source>The number of examples (shots) must be 0 or more, not {count}.</source>
        <translation>示例数量（shots）必须是 0 或更多，而不是 {count}。</translation>
    </message>
    <message>
        <source>query template</source>
        <translation>查询模板</translation>
    </message>
    <message>
        <source>label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>The labels for this item</source>
        <translation>此条目的标签</translation>
    </message>
    <message>
        <source>template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>{source}: expected a JSON object with the template's fields.</source>
        <translation>{source}：应为包含模板各字段的 JSON 对象。</translation>
    </message>
    <message>
        <source>{source} is not a Parley few-shot template (it has no “schema_version” field).</source>
        <translation>{source} 不是 Parley 少样本模板（没有“schema_version”字段）。</translation>
    </message>
    <message>
        <source>{source}: field “schema_version” must be a whole number, e.g. 1.</source>
        <translation>{source}：字段“schema_version”必须是整数，例如 1。</translation>
    </message>
    <message>
        <source>{source} has template schema version {schema}; this Parley reads version {known}.</source>
        <translation>{source} 的模板结构版本为 {schema}；本版 Parley 读取的是第 {known} 版。</translation>
    </message>
    <message>
        <source>It was saved by a newer Parley; update Parley to open it.</source>
        <translation>它由更新版本的 Parley 保存；请更新 Parley 后再打开。</translation>
    </message>
    <message>
        <source>{source}: field “version” must be 1 or more, not {version}.</source>
        <translation>{source}：字段“version”必须大于等于 1，而不是 {version}。</translation>
    </message>
    <message>
        <source>{source}: field “mode” must be “chat” or “completion”, not {mode}.</source>
        <translation>{source}：字段“mode”必须是“chat”或“completion”，而不是 {mode}。</translation>
    </message>
    <message>
        <source>{source}: field “scoring” is {rule}; use one of {rules}.</source>
        <translation>{source}：字段“scoring”为 {rule}；请使用以下之一：{rules}。</translation>
    </message>
    <message>
        <source>{source}: field “pattern” must be text or null.</source>
        <translation>{source}：字段“pattern”必须是文本或 null。</translation>
    </message>
    <message>
        <source>{source}: {field} must be text, not {kind}.</source>
        <translation>{source}：{field} 必须是文本，而不是 {kind}。</translation>
    </message>
    <message>
        <source>{source}: field “labels”</source>
        <translation>{source}：字段“labels”</translation>
    </message>
    <message>
        <source>The {what} is not valid ({error}). Write variables as {example} and a literal brace as {open} or {close}.</source>
        <translation>{what}无效（{error}）。变量请写成 {example}，字面的花括号请写成 {open} 或 {close}。</translation>
    </message>
    <message>
        <source>The {what} field {field} is not supported. Use plain names such as {input} or {hypothesis}.</source>
        <translation>{what}中的字段 {field} 不受支持。请使用 {input} 或 {hypothesis} 这样的简单名称。</translation>
    </message>
    <message>
        <source>The {what} uses {variable} but no value named “{name}” was given. Add a “{name}” column (or variable on each example), or remove {variable} from the {what}.</source>
        <translation>{what}使用了 {variable}，但没有提供名为“{name}”的值。请添加“{name}”列（或在每个示例上添加该变量），或从{what}中删除 {variable}。</translation>
    </message>
    <message>
        <source>{where}: the “Most likely answer” rule needs at least two labels to choose between (it has {count}), e.g. positive and negative.</source>
        <translation>{where}：“最可能的答案”规则需要至少两个标签来做选择（现在有 {count} 个），例如 positive 和 negative。</translation>
    </message>
    <message>
        <source>{where}: label {index} is empty. Give every label some text, or remove it.</source>
        <translation>{where}：第 {index} 个标签是空的。请为每个标签填写文本，或将其删除。</translation>
    </message>
    <message>
        <source>{where}: “{label}” appears twice (as “{other}” too). Give every label a different text.</source>
        <translation>{where}：“{label}”出现了两次（另一个是“{other}”）。请为每个标签使用不同的文本。</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>{source}: field “{name}” must be {want}, not {kind}.</source>
        <translation>{source}：字段“{name}”必须是{want}，而不是 {kind}。</translation>
    </message>
    <message>
        <source>{source}: {where} must be an object with “input” and “output”.</source>
        <translation>{source}：{where} 必须是包含“input”和“output”的对象。</translation>
    </message>
    <message>
        <source>{source}: {where} has no “{key}” field.</source>
        <translation>{source}：{where} 没有“{key}”字段。</translation>
    </message>
    <message>
        <source>Could not read the template {path}: {error}.</source>
        <translation>无法读取模板 {path}：{error}。</translation>
    </message>
    <message>
        <source>The template {path} is not UTF-8 text; save it as UTF-8 JSON.</source>
        <translation>模板 {path} 不是 UTF-8 文本；请将其另存为 UTF-8 编码的 JSON。</translation>
    </message>
    <message>
        <source>The template {path} is not valid JSON (line {line}, column {column}: {error}). Fix the file or save the template again from Parley.</source>
        <translation>模板 {path} 不是有效的 JSON（第 {line} 行第 {column} 列：{error}）。请修正该文件，或在 Parley 中重新保存模板。</translation>
    </message>
    <message>
        <source>The template {path} is nested too deeply to be a Parley template.</source>
        <translation>模板 {path} 嵌套太深，不是 Parley 模板。</translation>
    </message>
    <message>
        <source>Could not save the template to {path}: {error}.</source>
        <translation>无法把模板保存到 {path}：{error}。</translation>
    </message>
    <message>
        <source>The template “{name}” is in chat mode but no chat template is available for this model. Choose a chat template in the model settings, or switch the few-shot template to completion mode.</source>
        <translation>模板“{name}”处于对话模式，但此模型没有可用的对话模板。请在模型设置中选择一个对话模板，或把少样本模板切换到补全模式。</translation>
    </message>
</context>
<context>
    <name>Fit</name>
    <message>
        <source>fits on GPU</source>
        <translation>可放入 GPU</translation>
    </message>
    <message>
        <source>fits in RAM</source>
        <translation>可放入内存</translation>
    </message>
    <message>
        <source>too large</source>
        <translation>太大</translation>
    </message>
</context>
<context>
    <name>GGUFError</name>
    <message>
        <source>Download the file again, or choose another model.</source>
        <translation>请重新下载该文件，或选择其他模型。</translation>
    </message>
    <message>
        <source>Parley cannot use the model file "{path}": {problem}. {hint}</source>
        <translation>Parley 无法使用模型文件“{path}”：{problem}。{hint}</translation>
    </message>
    <message>
        <source>1 byte</source>
        <translation>1 字节</translation>
    </message>
    <message>
        <source>{count} bytes</source>
        <translation>{count} 字节</translation>
    </message>
    <message>
        <source>it is damaged ({detail})</source>
        <translation>文件已损坏（{detail}）</translation>
    </message>
    <message>
        <source>it is truncated (the header ends early)</source>
        <translation>文件不完整（文件头提前结束）</translation>
    </message>
    <message>
        <source>{what} at byte {position} claims to be {size} long</source>
        <translation>位于第 {position} 字节的{what}声称长度为 {size}</translation>
    </message>
    <message>
        <source>{what} at byte {position} is not valid UTF-8 text</source>
        <translation>位于第 {position} 字节的{what}不是有效的 UTF-8 文本</translation>
    </message>
    <message>
        <source>a text</source>
        <translation>一段文本</translation>
    </message>
    <message>
        <source>the value of {key}</source>
        <translation>{key} 的值</translation>
    </message>
    <message>
        <source>{key} has unknown value type {type}</source>
        <translation>{key} 的值类型 {type} 未知</translation>
    </message>
    <message>
        <source>the list {key} has unknown element type {type}</source>
        <translation>列表 {key} 的元素类型 {type} 未知</translation>
    </message>
    <message>
        <source>the list {key} claims {count} entries</source>
        <translation>列表 {key} 声称有 {count} 项</translation>
    </message>
    <message>
        <source>an entry of {key}</source>
        <translation>{key} 中的一项</translation>
    </message>
    <message>
        <source>(it is empty)</source>
        <translation>（文件是空的）</translation>
    </message>
    <message>
        <source>(it looks like a ZIP archive, such as a PyTorch checkpoint)</source>
        <translation>（看起来是 ZIP 压缩包，例如 PyTorch 检查点）</translation>
    </message>
    <message>
        <source>(it looks like a web page, perhaps an error page saved instead of the model)</source>
        <translation>（看起来是网页，可能保存的是错误页面而不是模型）</translation>
    </message>
    <message>
        <source>(it is a Git LFS pointer, not the model data itself)</source>
        <translation>（这是 Git LFS 指针文件，而不是模型数据本身）</translation>
    </message>
    <message>
        <source>(it looks like a safetensors file)</source>
        <translation>（看起来是 safetensors 文件）</translation>
    </message>
    <message>
        <source>(it looks like a JSON file)</source>
        <translation>（看起来是 JSON 文件）</translation>
    </message>
    <message>
        <source>(it looks like a PyTorch pickle file)</source>
        <translation>（看起来是 PyTorch pickle 文件）</translation>
    </message>
    <message>
        <source>(it is in the old GGML format llama.cpp no longer loads)</source>
        <translation>（这是 llama.cpp 已不再支持的旧 GGML 格式）</translation>
    </message>
    <message>
        <source>Parley can only load GGUF (.gguf) models; choose a GGUF version of this model.</source>
        <translation>Parley 只能加载 GGUF（.gguf）模型；请选择此模型的 GGUF 版本。</translation>
    </message>
    <message>
        <source>it is not a GGUF model file</source>
        <translation>它不是 GGUF 模型文件</translation>
    </message>
    <message>
        <source>it is not a GGUF model file {guess}</source>
        <translation>它不是 GGUF 模型文件{guess}</translation>
    </message>
    <message>
        <source>it is a folder, not a file</source>
        <translation>它是文件夹，而不是文件</translation>
    </message>
    <message>
        <source>Choose the .gguf file inside it instead.</source>
        <translation>请改为选择其中的 .gguf 文件。</translation>
    </message>
    <message>
        <source>it is not a regular file</source>
        <translation>它不是普通文件</translation>
    </message>
    <message>
        <source>Choose a .gguf model file instead.</source>
        <translation>请改为选择一个 .gguf 模型文件。</translation>
    </message>
    <message>
        <source>it does not exist</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>Check that it has not been moved, renamed or deleted, or choose another model.</source>
        <translation>请检查它是否被移动、重命名或删除，或选择其他模型。</translation>
    </message>
    <message>
        <source>it cannot be read ({error})</source>
        <translation>无法读取（{error}）</translation>
    </message>
    <message>
        <source>Check the file's permissions, or choose another model.</source>
        <translation>请检查文件权限，或选择其他模型。</translation>
    </message>
    <message>
        <source>it uses the old GGUF version 1 format, which llama.cpp no longer loads</source>
        <translation>它使用旧的 GGUF 第 1 版格式，llama.cpp 已不再支持</translation>
    </message>
    <message>
        <source>Download a newer conversion of this model, or choose another model.</source>
        <translation>请下载此模型较新的转换版本，或选择其他模型。</translation>
    </message>
    <message>
        <source>it is a big-endian GGUF file, which Parley cannot load</source>
        <translation>它是大端序 GGUF 文件，Parley 无法加载</translation>
    </message>
    <message>
        <source>Choose a little-endian (ordinary) GGUF version of this model.</source>
        <translation>请选择此模型的小端序（普通）GGUF 版本。</translation>
    </message>
    <message>
        <source>its format version number {version} is impossible</source>
        <translation>其格式版本号 {version} 不可能存在</translation>
    </message>
    <message>
        <source>it uses GGUF version {version}, which Parley does not support</source>
        <translation>它使用 GGUF 第 {version} 版，Parley 不支持</translation>
    </message>
    <message>
        <source>Update Parley, or choose another model.</source>
        <translation>请更新 Parley，或选择其他模型。</translation>
    </message>
    <message>
        <source>the header claims {tensors} tensors and {settings} settings</source>
        <translation>文件头声称有 {tensors} 个张量和 {settings} 项设置</translation>
    </message>
    <message>
        <source>the header lists no tensors</source>
        <translation>文件头中没有列出任何张量</translation>
    </message>
    <message>
        <source>the setting {key} appears twice</source>
        <translation>设置 {key} 出现了两次</translation>
    </message>
    <message>
        <source>its data alignment {alignment} is not a power of two</source>
        <translation>其数据对齐值 {alignment} 不是 2 的幂</translation>
    </message>
    <message>
        <source>the tensor name {name} is repeated or too long</source>
        <translation>张量名称 {name} 重复或过长</translation>
    </message>
    <message>
        <source>the tensor {name} has {count} dimensions</source>
        <translation>张量 {name} 有 {count} 个维度</translation>
    </message>
    <message>
        <source>the tensor {name} has impossible dimensions {dims}</source>
        <translation>张量 {name} 的维度 {dims} 不可能存在</translation>
    </message>
    <message>
        <source>the tensor {name} has unknown data type {type}</source>
        <translation>张量 {name} 的数据类型 {type} 未知</translation>
    </message>
    <message>
        <source>the tensor {name} has a row length not divisible by its block size</source>
        <translation>张量 {name} 的行长度不能被其块大小整除</translation>
    </message>
    <message>
        <source>the tensor {name} is not aligned in the file</source>
        <translation>张量 {name} 在文件中未对齐</translation>
    </message>
    <message>
        <source>it does not say which model architecture it is</source>
        <translation>文件中没有说明模型架构</translation>
    </message>
    <message>
        <source>It may not be a language model; choose another model.</source>
        <translation>它可能不是语言模型；请选择其他模型。</translation>
    </message>
    <message>
        <source>it uses the model architecture {architecture}, which this version of Parley's llama.cpp does not support</source>
        <translation>它使用的模型架构 {architecture} 不受此版本 Parley 所带的 llama.cpp 支持</translation>
    </message>
    <message>
        <source>the tensors {first} and {second} overlap</source>
        <translation>张量 {first} 和 {second} 相互重叠</translation>
    </message>
    <message>
        <source>it is truncated: {missing} of the {needed} its tensors need are missing</source>
        <translation>文件不完整：张量所需的 {needed} 中缺少 {missing}</translation>
    </message>
    <message>
        <source>The download may not have finished.</source>
        <translation>下载可能尚未完成。</translation>
    </message>
</context>
<context>
    <name>KeyStore</name>
    <message>
        <source>API keys are kept in the system keychain.</source>
        <translation>API 密钥保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>This computer has no keychain Parley can use, so API keys are kept in {file}, a file only your user account can read.</source>
        <translation>本机没有 Parley 可用的钥匙串，因此 API 密钥保存在 {file} 中，只有你的用户账户能读取该文件。</translation>
    </message>
</context>
<context>
    <name>ModelLibrary</name>
    <message>
        <source>Parley cannot use the model file "{path}": it could not be read ({error}). Choose another model.</source>
        <translation>Parley 无法使用模型文件“{path}”：无法读取（{error}）。请选择其他模型。</translation>
    </message>
    <message>
        <source>Parley cannot use the model file "{path}": it is one part of a model split into {count} files, but its name does not end in {suffix}. Rename the parts as llama.cpp's gguf-split named them.</source>
        <translation>Parley 无法使用模型文件“{path}”：它是拆分为 {count} 个文件的模型的一部分，但文件名不以 {suffix} 结尾。请按 llama.cpp 的 gguf-split 的命名方式重命名各部分。</translation>
    </message>
    <message>
        <source>shard {index} of {count} is missing: {file}</source>
        <translation>缺少第 {index} 个分片（共 {count} 个）：{file}</translation>
    </message>
    <message>
        <source>{file} is not one of the {count} shards its name says there are</source>
        <translation>{file} 不属于其文件名所称的 {count} 个分片之一</translation>
    </message>
    <message>
        <source>shard 1 says the model has {split} shards, but its name says {count}: {file}</source>
        <translation>第 1 个分片称模型有 {split} 个分片，但文件名写的是 {count} 个：{file}</translation>
    </message>
    <message>
        <source>shard {index} of {count} belongs to a different split: {file}</source>
        <translation>第 {index} 个分片（共 {count} 个）属于另一组拆分：{file}</translation>
    </message>
</context>
<context>
    <name>OSReason</name>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>the disk quota is used up</source>
        <translation>磁盘配额已用完</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>权限不足</translation>
    </message>
    <message>
        <source>the operation is not permitted</source>
        <translation>不允许执行该操作</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>磁盘为只读</translation>
    </message>
    <message>
        <source>no such file or folder</source>
        <translation>没有这个文件或文件夹</translation>
    </message>
    <message>
        <source>something with that name is already there</source>
        <translation>已存在同名的项目</translation>
    </message>
    <message>
        <source>a file is where a folder should be</source>
        <translation>应为文件夹的位置是一个文件</translation>
    </message>
    <message>
        <source>it is a folder, not a file</source>
        <translation>它是文件夹，而不是文件</translation>
    </message>
    <message>
        <source>the name is too long</source>
        <translation>名称过长</translation>
    </message>
    <message>
        <source>the disk could not be read or written (an input/output error)</source>
        <translation>无法读写磁盘（输入/输出错误）</translation>
    </message>
    <message>
        <source>the file is in use</source>
        <translation>文件正被使用</translation>
    </message>
    <message>
        <source>too many files are open</source>
        <translation>打开的文件过多</translation>
    </message>
</context>
<context>
    <name>Perplexity</name>
    <message>
        <source>the context must hold at least two tokens</source>
        <translation>上下文必须至少容纳两个词元</translation>
    </message>
</context>
<context>
    <name>RunComparison</name>
    <message>
        <source>Run {name} has no scored items to compare.</source>
        <translation>运行 {name} 没有可供比较的已评分条目。</translation>
    </message>
    <message>
        <source>The two runs are not over the same items: %n lines hold different text ({lines}). Compare runs made on the same test set.</source>
        <translation>这两次运行的条目不同：有 %n 行文本不一样（{lines}）。请比较在同一测试集上进行的运行。</translation>
    </message>
</context>
<context>
    <name>RunRecordError</name>
    <message>
        <source>This run record was saved before runs could be replayed (schema 1): it holds no template. Run the template again to get a replayable record.</source>
        <translation>此运行记录保存于支持重放运行之前（架构 1）：其中没有模板。请再次运行该模板，以获得可重放的记录。</translation>
    </message>
    <message>
        <source>the record's template</source>
        <translation>记录中的模板</translation>
    </message>
    <message>
        <source>This run record holds no test items (it was saved before runs could be replayed).</source>
        <translation>此运行记录中没有测试条目（它保存于支持重放运行之前）。</translation>
    </message>
    <message>
        <source>Item {number} of the run record is damaged (it needs line, values and expected).</source>
        <translation>运行记录的第 {number} 个条目已损坏（它需要 line、values 和 expected）。</translation>
    </message>
    <message>
        <source>The run record's sampling settings are damaged: {error}.</source>
        <translation>运行记录的采样设置已损坏：{error}。</translation>
    </message>
    <message>
        <source>each result must be an object</source>
        <translation>每个结果都必须是对象</translation>
    </message>
    <message>
        <source>result field “{name}” must be {kind}, not {actual}</source>
        <translation>结果字段“{name}”必须是 {kind}，而不是 {actual}</translation>
    </message>
    <message>
        <source>result field “probabilities” must map labels to numbers</source>
        <translation>结果字段“probabilities”必须把标签映射到数字</translation>
    </message>
    <message>
        <source>result field “variables” must map names to text</source>
        <translation>结果字段“variables”必须把名称映射到文本</translation>
    </message>
    <message>
        <source>run record</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>{source} is not a Parley run record (no “schema_version” and “results” fields).</source>
        <translation>{source} 不是 Parley 运行记录（没有“schema_version”和“results”字段）。</translation>
    </message>
    <message>
        <source>{source} has run schema version {schema}; this Parley reads 1 and 2. It was saved by a newer Parley; update Parley to open it.</source>
        <translation>{source} 的运行架构版本为 {schema}；此版本的 Parley 只能读取 1 和 2。它由更新版本的 Parley 保存；请更新 Parley 后再打开。</translation>
    </message>
    <message>
        <source>{source} has run schema version {schema}; this Parley reads 1 and 2.</source>
        <translation>{source} 的运行架构版本为 {schema}；此版本的 Parley 只能读取 1 和 2。</translation>
    </message>
    <message>
        <source>field “calibration” must map labels to numbers</source>
        <translation>字段“calibration”必须把标签映射到数字</translation>
    </message>
    <message>
        <source>field “labels” must be a list of text</source>
        <translation>字段“labels”必须是文本列表</translation>
    </message>
    <message>
        <source>field “order_seed” must be a whole number</source>
        <translation>字段“order_seed”必须是整数</translation>
    </message>
    <message>
        <source>{source} is damaged: {error}.</source>
        <translation>{source} 已损坏：{error}。</translation>
    </message>
    <message>
        <source>field “{name}” must be {kind}, not {actual}</source>
        <translation>字段“{name}”必须是 {kind}，而不是 {actual}</translation>
    </message>
    <message>
        <source>Could not read the run record {path}: {error}.</source>
        <translation>无法读取运行记录 {path}：{error}。</translation>
    </message>
    <message>
        <source>The run record {path} is not UTF-8 text.</source>
        <translation>运行记录 {path} 不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>The run record {path} is not valid JSON.</source>
        <translation>运行记录 {path} 不是有效的 JSON。</translation>
    </message>
</context>
<context>
    <name>SamplingError</name>
    <message>
        <source>{name} must be a number, not {value}</source>
        <translation>{name} 必须是数字，而不是 {value}</translation>
    </message>
    <message>
        <source>{name} must be between {low} and {high}; got {value}</source>
        <translation>{name} 必须在 {low} 到 {high} 之间；当前为 {value}</translation>
    </message>
    <message>
        <source>{name} must be a whole number; got {value}</source>
        <translation>{name} 必须是整数；当前为 {value}</translation>
    </message>
</context>
<context>
    <name>SamplingPresets</name>
    <message>
        <source>Precise</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>创意</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
</context>
<context>
    <name>Scoring</name>
    <message>
        <source>The regular expression {pattern} is not valid: {error}.</source>
        <translation>正则表达式 {pattern} 无效：{error}。</translation>
    </message>
    <message>
        <source>The regular expression {pattern} is not valid: {error} at position {position}.</source>
        <translation>正则表达式 {pattern} 无效：{error}（位置 {position}）。</translation>
    </message>
    <message>
        <source>Unknown scoring rule {rule}; use one of {rules}.</source>
        <translation>未知的评分规则 {rule}；请使用以下之一：{rules}。</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Parley's settings file {path} was written by a newer version of Parley (settings version {version}; this version knows {known}). This session uses the default settings and leaves that file unchanged; update Parley to use them.</source>
        <translation>Parley 的设置文件 {path} 由更新版本的 Parley 写入（设置版本 {version}；本版本支持到 {known}）。本次会话使用默认设置，不会改动该文件；请更新 Parley 以使用这些设置。</translation>
    </message>
    <message>
        <source>Parley's settings file {path} could not be used ({reason}), so Parley starts with its default settings.</source>
        <translation>无法使用 Parley 的设置文件 {path}（{reason}），因此 Parley 以默认设置启动。</translation>
    </message>
    <message>
        <source>Parley could not read its settings file {path} ({error}), so it uses the default settings this session and leaves that file as it is.</source>
        <translation>Parley 无法读取设置文件 {path}（{error}），因此本次会话使用默认设置，不会改动该文件。</translation>
    </message>
    <message>
        <source>Some of Parley's settings in {path} had values of the wrong kind ({keys}) and were reset to their defaults; the others were kept.</source>
        <translation>{path} 中 Parley 的部分设置值类型不对（{keys}），已恢复为默认值；其他设置已保留。</translation>
    </message>
    <message>
        <source>{what} The file could not be kept aside ({error}), so Parley leaves it as it is and does not save settings this session.</source>
        <translation>{what}无法把该文件另存到一旁（{error}），因此 Parley 不会改动它，本次会话也不会保存设置。</translation>
    </message>
    <message>
        <source>{what} The original file was kept as {copy}.</source>
        <translation>{what}原文件已另存为 {copy}。</translation>
    </message>
    <message>
        <source>it is larger than {size} MB</source>
        <translation>文件超过 {size} MB</translation>
    </message>
    <message>
        <source>it is not UTF-8 text</source>
        <translation>文件不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>it is nested too deeply</source>
        <translation>文件嵌套太深</translation>
    </message>
    <message>
        <source>it is not valid JSON; perhaps it was cut short</source>
        <translation>文件不是有效的 JSON，可能被截断了</translation>
    </message>
    <message>
        <source>it holds no settings</source>
        <translation>文件中没有设置</translation>
    </message>
    <message>
        <source>it has no valid settings version</source>
        <translation>文件中没有有效的设置版本</translation>
    </message>
</context>
<context>
    <name>Statistics</name>
    <message>
        <source>no items scored</source>
        <translation>没有已评分的条目</translation>
    </message>
    <message>
        <source>{accuracy} ({passed}/{total}), {confidence} CI {low}–{high}</source>
        <translation>{accuracy}（{passed}/{total}），{confidence} 置信区间 {low}–{high}</translation>
    </message>
    <message>
        <source>%n item</source>
        <translation>%n 项</translation>
    </message>
    <message>
        <source>%n items</source>
        <translation>%n 项</translation>
    </message>
    <message>
        <source>{a} and {b} have no items to compare</source>
        <translation>{a} 和 {b} 没有可比较的条目</translation>
    </message>
    <message>
        <source>{a} and {b} agree on every item</source>
        <translation>{a} 和 {b} 在每个条目上结果一致</translation>
    </message>
    <message>
        <source>{items} fixed, {broken} broken, {p}</source>
        <translation>修正 {items}，退步 {broken} 项，{p}</translation>
    </message>
    <message>
        <source>{a} and {b} do equally well on these items: {counts}</source>
        <translation>{a} 和 {b} 在这些条目上表现相当：{counts}</translation>
    </message>
    <message>
        <source>{b} is better than {a}: {counts}, significant at {alpha}</source>
        <translation>{b} 优于 {a}：{counts}，在 {alpha} 水平上显著</translation>
    </message>
    <message>
        <source>{b} is better than {a}: {counts}, not significant at {alpha}</source>
        <translation>{b} 优于 {a}：{counts}，在 {alpha} 水平上不显著</translation>
    </message>
    <message>
        <source>{b} is worse than {a}: {counts}, significant at {alpha}</source>
        <translation>{b} 不如 {a}：{counts}，在 {alpha} 水平上显著</translation>
    </message>
    <message>
        <source>{b} is worse than {a}: {counts}, not significant at {alpha}</source>
        <translation>{b} 不如 {a}：{counts}，在 {alpha} 水平上不显著</translation>
    </message>
    <message>
        <source>{items} only in {name} {examples}</source>
        <translation>{items}仅在 {name} 中 {examples}</translation>
    </message>
    <message>
        <source>The two runs are not over the same items: {parts}. Compare runs made on the same test set.</source>
        <translation>这两次运行的条目不同：{parts}。请比较在同一测试集上完成的运行。</translation>
    </message>
</context>
<context>
    <name>StatsLine</name>
    <message>
        <source>%n prompt tokens ({cached} cached)</source>
        <translation>提示词 %n 个词元（{cached} 个已缓存）</translation>
    </message>
    <message>
        <source>%n prompt tokens</source>
        <translation>提示词 %n 个词元</translation>
    </message>
    <message>
        <source>%n generated</source>
        <translation>生成 %n 个</translation>
    </message>
    <message>
        <source>first token {ms} ms</source>
        <translation>首个词元 {ms} ms</translation>
    </message>
    <message>
        <source>{speed} tokens/s</source>
        <translation>{speed} 词元/秒</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>cut short: the context is full (start a new chat, or load the model with a longer context)</source>
        <translation>已截断：上下文已满（请新建对话，或以更长的上下文重新加载模型）</translation>
    </message>
    <message>
        <source>%n tokens</source>
        <translation>%n 个词元</translation>
    </message>
</context>
<context>
    <name>TemplateChoice</name>
    <message>
        <source>Model's own template</source>
        <translation>模型自带的模板</translation>
    </message>
    <message>
        <source>Automatic: {template}</source>
        <translation>自动：{template}</translation>
    </message>
    <message>
        <source>{template} (built-in)</source>
        <translation>{template}（内置）</translation>
    </message>
    <message>
        <source>the model's own template</source>
        <translation>模型自带的模板</translation>
    </message>
    <message>
        <source>{template} (built-in; the model has no template of its own)</source>
        <translation>{template}（内置；模型没有自带模板）</translation>
    </message>
</context>
<context>
    <name>TemplateError</name>
    <message>
        <source>Choose one of the built-in chat templates for this model instead.</source>
        <translation>请为此模型改选一个内置对话模板。</translation>
    </message>
    <message>
        <source>The chat template “{label}” has a syntax error on line {line}: {error}. {advice}</source>
        <translation>对话模板“{label}”第 {line} 行有语法错误：{error}。{advice}</translation>
    </message>
    <message>
        <source>The chat template “{label}” could not be read ({error}). {advice}</source>
        <translation>无法读取对话模板“{label}”（{error}）。{advice}</translation>
    </message>
    <message>
        <source>The chat template “{label}” tried to do something that is not allowed ({error}). It was blocked and not run; the template may be broken or malicious. {advice}</source>
        <translation>对话模板“{label}”试图执行不被允许的操作（{error}）。该操作已被阻止，未执行；模板可能有误或含有恶意代码。{advice}</translation>
    </message>
    <message>
        <source>The chat template “{label}” failed while building the prompt ({error}). {advice}</source>
        <translation>对话模板“{label}”在构建提示词时出错（{error}）。{advice}</translation>
    </message>
    <message>
        <source>The chat template “{label}” rejected this conversation: {error}. {advice}</source>
        <translation>对话模板“{label}”拒绝了此对话：{error}。{advice}</translation>
    </message>
</context>
</TS>
