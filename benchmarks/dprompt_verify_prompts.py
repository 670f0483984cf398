"""The fixed prompts of ``benchmarks/dprompt_verify.py``: questions, instructions, continuations.

Written for this benchmark (no data set): short, varied, within DPrompt's 256-byte prompt
limit, in the raw-text form a base model continues. ``EDITS`` turns a prompt into the
"edited prompt" cheat: the first listed word found in it is replaced by another.
"""

from __future__ import annotations

import re

QUESTIONS = (
    "Q: What is the capital of France?\nA:",
    "Q: How many legs does a spider have?\nA:",
    "Q: Who wrote the play Romeo and Juliet?\nA:",
    "Q: What is the boiling point of water at sea level in Celsius?\nA:",
    "Q: Which planet is known as the red planet?\nA:",
    "Q: What gas do plants absorb from the air?\nA:",
    "Q: How many days are there in a leap year?\nA:",
    "Q: What is the largest ocean on Earth?\nA:",
    "Q: In which country are the pyramids of Giza?\nA:",
    "Q: What is the chemical symbol for gold?\nA:",
    "Q: What does a thermometer measure?\nA:",
    "Q: Why is the sky blue?\nA:",
    "Q: What is the square root of 81?\nA:",
    "Q: Which animal is the largest mammal?\nA:",
    "Q: What language is spoken in Brazil?\nA:",
    "Q: How many minutes are in two hours?\nA:",
    "Q: What is the main ingredient of guacamole?\nA:",
    "Q: Who painted the Mona Lisa?\nA:",
    "Q: What is the freezing point of water in Fahrenheit?\nA:",
    "Q: What is a blockchain?\nA:",
    "Q: What is the currency of Japan?\nA:",
    "Q: How does a rainbow form?\nA:",
    "Q: What is the tallest mountain in the world?\nA:",
    "Q: What do bees make?\nA:",
    "Q: Which organ pumps blood through the body?\nA:",
    "Q: What is the opposite of cold?\nA:",
    "Q: How many sides does a hexagon have?\nA:",
    "Q: What is photosynthesis?\nA:",
)

INSTRUCTIONS = (
    "Write one sentence about the sea.\n",
    "List three colours of the rainbow:\n",
    "Give a short tip for sleeping well.\n",
    "Explain what a bank does in one sentence.\n",
    "Describe a cat in five words.\n",
    "Translate to French: good morning.\nFrench:",
    "Write a haiku about autumn.\n",
    "Name two fruits that are yellow.\n",
    "Summarise: The meeting was moved from Monday to Friday because the manager was ill.\nSummary:",
    "Write a friendly greeting for a new neighbour.\n",
    "Suggest a name for a small coffee shop.\n",
    "Give an example of a renewable energy source.\n",
    "Write a title for a story about a lost dog.\n",
    "Explain why exercise is healthy.\n",
    "List the first five prime numbers:\n",
    "Write a short thank-you note to a teacher.\n",
    "Describe the taste of lemon.\n",
    "Give two reasons to learn a second language.\n",
    "Write a sentence using the word 'bright'.\n",
    "Explain what a password is to a child.\n",
    "Sort these numbers from small to large: 9, 2, 7, 4.\nSorted:",
    "Write a one-line weather forecast for a sunny day.\n",
    "Name a famous scientist and what they discovered.\n",
    "Give a synonym for 'happy'.\n",
    "Write the plural of 'mouse'.\nPlural:",
    "Describe a city at night.\n",
    "Explain what saving money means.\n",
    "Write a question you would ask a robot.\n",
)

CONTINUATIONS = (
    "Once upon a time, in a small village by the river,",
    "The three primary colours are",
    "The best way to learn to cook is",
    "In the morning, the train station was",
    "Water is important for life because",
    "The old lighthouse stood on the cliff and",
    "My favourite season is spring because",
    "The history of the bicycle begins",
    "When the rain stopped, the children",
    "A good friend is someone who",
    "The recipe for pancakes needs flour, eggs and",
    "Scientists study the stars to",
    "The library was quiet except for",
    "The first step to start a garden is",
    "On the top of the mountain, the climbers saw",
    "Computers store information using",
    "The market sold fresh bread, cheese and",
    "Every winter, the birds fly south to",
    "The museum's newest exhibit shows",
    "To stay safe online, you should",
    "The little robot opened its eyes and",
    "The river flows from the mountains to",
    "At the end of the long day, she",
    "The key to a good night's sleep is",
    "The city council decided to build a new",
    "Music can make people feel",
    "The ship sailed across the ocean toward",
    "Honey bees live in colonies where",
)

PROMPTS: tuple[str, ...] = QUESTIONS + INSTRUCTIONS + CONTINUATIONS

HELD_OUT: tuple[str, ...] = (
    "Q: What is the capital of Canada?\nA:",
    "Q: How many wheels does a tricycle have?\nA:",
    "Q: What colour are ripe bananas?\nA:",
    "Q: Who invented the telephone?\nA:",
    "Q: What is the hardest natural material?\nA:",
    "Q: Why do leaves fall in autumn?\nA:",
    "Q: What is twelve divided by four?\nA:",
    "Q: What do you call a baby cat?\nA:",
    "Write a short poem about a candle.\n",
    "Give one reason why people keep diaries.\n",
    "Explain what a volcano is in one sentence.\n",
    "List four things you can find in a kitchen:\n",
    "Write an apology for arriving late.\n",
    "Describe the sound of a thunderstorm.\n",
    "Name three instruments in an orchestra.\n",
    "Translate to Spanish: thank you very much.\nSpanish:",
    "The old farmer walked to the barn and",
    "Trains are a popular way to travel because",
    "In the centre of the square there was a fountain that",
    "The detective looked at the footprints and",
    "Solar panels turn sunlight into",
    "The baker woke up before dawn to",
    "Penguins are birds that cannot fly, but they",
    "The first day at a new school can be",
)
"""Honest prompts written after the policy was chosen, never used to choose it: the false-slash
goal is checked on them apart (``held_out`` in the figures)."""

EDITS = (
    ("France", "Spain"),
    ("spider", "dog"),
    ("Romeo and Juliet", "Hamlet"),
    ("Celsius", "Kelvin"),
    ("red", "blue"),
    ("leap", "normal"),
    ("largest", "smallest"),
    ("gold", "silver"),
    ("Brazil", "Germany"),
    ("two", "five"),
    ("three", "four"),
    ("sea", "desert"),
    ("cat", "horse"),
    ("autumn", "winter"),
    ("yellow", "red"),
    ("morning", "evening"),
    ("dog", "cat"),
    ("lemon", "chocolate"),
    ("night", "dawn"),
    ("village", "city"),
    ("spring", "winter"),
    ("rain", "snow"),
    ("mountain", "beach"),
    ("bread", "fish"),
    ("robot", "dragon"),
    ("ocean", "lake"),
    ("Water", "Sunlight"),
    ("bicycle", "airplane"),
)
"""(word, replacement): the first whose word appears in a prompt as a whole word edits it."""


def edited(prompt: str) -> str:
    """The prompt with one meaningful word changed, or a sentence added when none matches.

    Only whole words are replaced (an earlier version also replaced inside words:
    "ingredient" became "ingblueient", a typo the model hardly notices).
    """
    for word, other in EDITS:
        found = re.search(rf"\b{re.escape(word)}\b", prompt)
        if found:
            return prompt[: found.start()] + other + prompt[found.end() :]
    return "Answer in German. " + prompt
