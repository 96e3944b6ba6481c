#!/usr/bin/env python3
"""Deterministic template generator for storyguard English training sentences.

Writes templates.jsonl next to this file. Seeded, so re-running gives identical output.
All names, places and schools are invented combinations.
"""
import json
import os
import random

SEED = 20261122
rng = random.Random(SEED)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates.jsonl")

GIRLS = ["Lily", "Ava", "Mia", "Zara", "Amelia", "Chloe", "Isla", "Freya", "Grace", "Ellie", "Maya", "Sofia",
         "Hana", "Nia", "Aaliyah", "Esme", "Poppy", "Layla", "Ruby", "Aoife", "Holly", "Niamh", "Amina", "Jasmine"]
BOYS = ["Noah", "Oisín", "Liam", "Kofi", "Yusuf", "Mateo", "Arjun", "Tomás", "Ibrahim", "Kai", "Leon", "Finn",
        "Jayden", "Rory", "Dylan", "Tariq", "Samir", "Cian", "Emeka", "Bilal", "Marek", "Joel", "Luca", "Theo"]
KID_FIRST = GIRLS + BOYS
SURNAMES = ["Byrne", "Okafor", "Nowak", "Hughes", "Mensah", "Reilly", "Patel", "Kowalski", "Murphy", "Haddad",
            "Walsh", "Achieng", "Fitzgerald", "Santos", "Brennan", "Kaur", "O'Sullivan", "Dlamini", "Clarke",
            "Moreno", "Doherty", "Banda", "Quinn", "Novak", "Gallagher", "Adeyemi", "Lynch", "Rossi", "Kerr", "Popescu"]
ADULT_FIRST = ["Maria", "James", "Patricia", "Owen", "Grace", "Tunde", "Helen", "Raj", "Siobhán", "Peter",
               "Fatima", "Michael", "Joan", "Kwame", "Irene", "Declan", "Lucia", "Robert", "Agnieszka", "Samuel"]
STREETS = ["Maple Street", "Birch Lane", "Station Road", "Orchard Close", "Mill Road", "Church View", "Harbour Terrace",
           "Elm Grove", "Castle Park", "Willow Drive", "Fairfield Avenue", "Quarry Lane", "Riverside Walk",
           "Chapel Street", "Green Road", "Beech Court"]
TOWNS = ["Ballymore", "Kilcullen", "Ashford", "Thornbury", "Carrickmines", "Nakuru", "Eldoret", "Greystones",
         "Hollinwood", "Dunleer", "Westfield", "Kasungu", "Portmore", "Lisheen", "Bramley", "Mullingar", "Oakham",
         "Tralee", "Kibera", "Gorey"]
SCHOOLS = ["St Anne's Primary", "Glenview NS", "Hillcrest Academy", "Scoil Bhríde", "Oakfield Juniors",
           "Riverside Primary", "Holy Family School", "Kingsway Infants", "Ardmore Community School",
           "St Joseph's Boys' School", "Greenhill Primary", "Mwangaza Primary", "Bayview Primary"]
CLASSES = ["Year 2", "Year 4", "second class", "third class", "fifth class", "P3", "Primary 5", "Class 6", "Grade 3",
           "junior infants", "Year 1", "Standard 4"]
TEACHERS = ["Mrs Patel's", "Mr Doyle's", "Ms Keane's", "Miss Farrell's", "Mrs Adeyemi's", "Mr Lowry's",
            "Ms Brady's", "Mrs Kowal's"]
HOSPITALS = ["Temple Street", "Crumlin", "Alder Hey", "the Royal Children's", "Great Ormond Street",
             "Birmingham Children's", "University Hospital Galway", "Kenyatta National Hospital",
             "Sheffield Children's", "Our Lady's Children's Hospital"]
WARDS = ["St Michael's ward", "ward 4B", "the oncology ward", "ward K2", "the neonatal unit", "ward 7",
         "the cardiac ward", "the high-dependency unit", "Rainbow ward"]
CONDITIONS = ["leukaemia", "a brain tumour", "cystic fibrosis", "a heart defect", "kidney failure",
              "spina bifida", "epilepsy", "a rare muscle disease", "sickle cell disease", "type 1 diabetes",
              "cerebral palsy", "neuroblastoma"]
AGES = list(range(2, 15))

LABEL_PHRASES = ["poor little orphan", "little street kid", "crippled boy", "sad little girl nobody wants",
                 "abandoned baby", "poor unfortunate child", "helpless little soul", "forgotten child",
                 "unwanted little boy", "pitiful little beggar", "AIDS orphan", "broken-home kid",
                 "sickly little thing", "hopeless case", "little slum girl", "poor handicapped child",
                 "wretched little waif", "problem child", "throwaway kid", "little lost soul nobody loves"]

SHARE_TAILS = ["Please share!", "Share share share 🙏", "Every share counts!!", "Forward to 10 groups tonight.",
               "Don't scroll past, SHARE.", "RT and tag someone who cares.", "Repost to your story 💔",
               "Copy and paste, don't just share.", "Type AMEN and share 🙏", "One share could save a life.",
               "10,000 shares by Friday or it's too late.", "Share before you scroll on.",
               "Like, comment and share so the algorithm shows it.", "Tag 5 friends now.",
               "Join the live tonight and share the link!"]

REGS_SOCIAL = ["facebook", "twitter", "instagram", "tiktok"]
REGS_APPEAL = ["crowdfunding", "ngo-appeal", "email", "newsletter", "blog"]
ALL_REGS = ["crowdfunding", "ngo-appeal", "newsletter", "twitter", "instagram", "facebook", "tiktok",
            "school-notice", "grant-report", "press-release", "policy", "news", "blog", "email"]

def c(xs):
    return rng.choice(xs)

def kid():
    return c(KID_FIRST)

def gkid():
    """(first name, subject pronoun, possessive, noun) with matching gender."""
    if rng.random() < 0.5:
        return c(GIRLS), "she", "her", "girl"
    return c(BOYS), "he", "his", "boy"

def _pic():
    n, sp, po, noun = gkid()
    return f"Pictured: {n}, {c(AGES)}, at home in {c(TOWNS)} with {po} {c(['mother', 'father', 'grandmother', 'uncle', 'aunt'])} {adult()}."

def _wheel():
    n, sp, po, noun = gkid()
    return f"{n} {c(SURNAMES)} from {c(CLASSES)} at {c(SCHOOLS)} is the {noun} in the wheelchair in the video."

def _cards():
    n, sp, po, noun = gkid()
    return f"Send cards to {n}, {c(WARDS)}, {c(HOSPITALS)}; {sp} turns {c(AGES)} on Sunday."

def _gran():
    n, sp, po, noun = gkid()
    return f"{n}, {c(AGES)}, lives with {po} gran in {c(TOWNS)} since {po} father was jailed for hurting {'her' if sp == 'she' else 'him'}."

def _son():
    n, sp, po, noun = gkid()
    rel = "daughter" if sp == "she" else "son"
    return f"Our {rel} {n} has {c(CONDITIONS)}; you'll know {'her' if sp == 'she' else 'him'} from {c(SCHOOLS)} in {c(TOWNS)}."

def _changed():
    n, sp, po, noun = gkid()
    return (f"{n} ({c(['name changed', 'not ' + po + ' real name', 'a pseudonym', 'name changed at ' + po + ' request'])}) "
            f"{c(['now goes to school every day', 'joined the youth choir', 'started an apprenticeship', 'loves the new library', 'helped plan the summer trip'])}; "
            f"{c(['shared with ' + po + ' guardian’s consent', 'shared with permission from the family', 'the family agreed to this story', 'details have been altered for privacy'])}.")

def _bus():
    n, sp, po, noun = gkid()
    return (f"You'll know {'her' if sp == 'she' else 'him'} from the {c(['school bus', 'swimming club', 'GAA pitch', 'library', 'Saturday market'])} in {c(TOWNS)}: "
            f"{n}, {c(AGES)}, the {noun} with {c(['the red glasses', 'the hearing aids', 'the crutches', 'the feeding tube', 'the Spider-Man bag'])}.")

def _fostered():
    n, sp, po, noun = gkid()
    return f"{n} {c(SURNAMES)}, {c(AGES)}, was taken into care after {po} {c(['mother', 'father', 'stepfather'])}'s arrest and now attends {c(SCHOOLS)}."

def full():
    return f"{c(KID_FIRST)} {c(SURNAMES)}"

def adult():
    return f"{c(ADULT_FIRST)} {c(SURNAMES)}"

# ---- identifying ----
IDENT = [
    lambda: (f"{full()}, {c(AGES)}, from {c(STREETS)} in {c(TOWNS)}, has been diagnosed with {c(CONDITIONS)}.", c(REGS_APPEAL)),
    lambda: (f"{kid()} is {c(AGES)} and in {c(TEACHERS)} class at {c(SCHOOLS)}, {c(TOWNS)}.", c(REGS_APPEAL + ['school-notice'])),
    lambda: (f"Please pray for {full()}, who is in {c(HOSPITALS)}, {c(WARDS)}, bed {rng.randint(1, 30)}.", c(REGS_SOCIAL + REGS_APPEAL)),
    lambda: (f"Our {kid()} ({c(AGES)}) goes to {c(SCHOOLS)} and has {c(CONDITIONS)}.", c(REGS_SOCIAL + ['crowdfunding'])),
    lambda: (f"{kid()}'s parents, {c(ADULT_FIRST)} and {c(ADULT_FIRST)} {c(SURNAMES)}, live at number {rng.randint(2, 90)} {c(STREETS)}.", c(REGS_APPEAL)),
    lambda: (f"The {c(AGES)}-year-old in the photo is {kid()}, outside {c(SCHOOLS)} on {c(STREETS)}.", c(REGS_SOCIAL)),
    lambda: (f"{full()} ({c(CLASSES)}, {c(SCHOOLS)}) starts treatment for {c(CONDITIONS)} at {c(HOSPITALS)} next week.", c(['school-notice', 'newsletter', 'facebook', 'email'])),
    lambda: (f"Donations can be sent to {kid()}'s mum on 08{rng.randint(3, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}.", c(REGS_SOCIAL + ['crowdfunding'])),
    lambda: (_gran(), c(REGS_APPEAL + ['news'])),
    lambda: (f"{full()}, a {c(AGES)}-year-old from {c(TOWNS)}, was abused by a relative and is now in foster care.", c(['news', 'blog', 'ngo-appeal', 'facebook'])),
    lambda: (f"It's the {c(AGES)}-year-old from the house at the end of {c(STREETS)}, the one in {c(TEACHERS)} class.", c(REGS_SOCIAL)),
    lambda: (_pic(), c(REGS_APPEAL + ['grant-report', 'press-release'])),
    lambda: (_bus(), c(REGS_SOCIAL + ['crowdfunding'])),
    lambda: (_fostered(), c(REGS_APPEAL + ['news', 'school-notice'])),
    lambda: (_wheel(), c(REGS_SOCIAL + ['school-notice'])),
    lambda: (_cards(), c(REGS_SOCIAL + REGS_APPEAL)),
    lambda: (f"Case study: {full()}, aged {c(AGES)}, {c(TOWNS)}, diagnosed with {c(CONDITIONS)} in {c(['2022', '2023', '2024', '2025'])}.", c(['grant-report', 'newsletter', 'press-release'])),
    lambda: (_son(), c(REGS_SOCIAL + ['crowdfunding'])),
]

# ---- traffic (no identifiable child, no label) ----
TRAFFIC = [
    lambda: (f"{c(['She', 'He'])} has {c(['3 days', '5 days', '48 hours', '2 weeks', 'until Friday', 'days'])} left unless this post gets {c(['5,000', '10,000', '50k', '100,000'])} shares.", c(REGS_SOCIAL + ['crowdfunding'])),
    lambda: (f"Every {c(['mug', 'candle', 'bracelet', 'T-shirt', 'tote bag', 'calendar', 'keyring', 'bar of soap'])} you buy goes to {c(['her', 'his'])} {c(['surgery', 'chemo', 'treatment', 'wheelchair', 'hospital bills'])} — {c(['order now', 'shop the link', 'limited stock', 'buy two'])}!", c(REGS_SOCIAL + ['crowdfunding', 'email'])),
    lambda: (f"{c(['Going live', 'Watch live', 'Streaming live', 'Live'])} from {c(['her', 'his'])} hospital bed {c(['tonight at 8', 'at 9pm', 'on Saturday', 'tomorrow morning'])}, {c(['send gifts in the chat', 'donate while you watch', 'bring your friends', 'share the stream'])}.", c(REGS_SOCIAL)),
    lambda: (f"{c(['Forward', 'Send', 'Share'])} this to {c(['10', 'ten', '20', 'every', '5'])} {c(['groups', 'friends', 'WhatsApp chats', 'contacts'])} {c(['right now', 'tonight', 'before bed', 'today'])} — {c(['she', 'he'])} can't wait.", c(REGS_SOCIAL + ['email'])),
    lambda: (f"{c(['Like', 'Follow', 'Subscribe', 'Turn on notifications'])} for {c(['daily', 'hourly', 'live', 'every'])} updates on {c(['her', 'his'])} fight {c(['💔', '🙏', '💪', ''])}".strip(), c(REGS_SOCIAL)),
    lambda: (f"If {c(['this video', 'this post', 'this reel', 'her story', 'his photo'])} hits {c(['1M views', '100k likes', '20k shares', 'the news'])}, {c(['the sponsor pays', 'the clinic operates', 'the hospital agrees', 'a donor matches everything'])}. {c(SHARE_TAILS)}", c(REGS_SOCIAL)),
    lambda: (f"{c(['Honestly', 'Seriously', 'Please', 'I mean it'])}, {c(['one share', 'one repost', 'one tap', 'ten seconds'])} {c(['could be the reason she lives', 'is all he needs from you', 'might save her life', 'could change his life'])}.", c(REGS_SOCIAL + ['crowdfunding'])),
    lambda: (f"{c(['Comment', 'Type', 'Drop'])} {c(['❤️', 'AMEN', '🙏', 'a prayer'])} and share if you {c(['believe in miracles', 'want her to live', 'have a heart', 'are a real mum'])}.", c(REGS_SOCIAL)),
]

TRAFFIC += [
    lambda: (f"{c(['We hit', 'We’re at', 'Only'])} {c(['312', '1,200', '4,000', '87'])} shares{c(['', ' so far'])}. {c(['We need', 'The clinic wants', 'Let’s get to'])} {c(['10,000', '20k', '50,000'])} by {c(['Friday', 'midnight', 'Sunday', 'tomorrow'])} or {c(['she', 'he'])} {c(['loses the place', 'misses the surgery', 'goes back on the list'])}.", c(REGS_SOCIAL + ['crowdfunding'])),
    lambda: (f"{c(['Raffle', 'Auction', 'Bake sale', 'Candle sale', 'Sticker sale'])} {c(['tonight', 'this weekend', 'on our live'])}: every {c(['ticket', 'bid', 'cake', 'candle', 'sticker'])} {c(['has her photo on it', 'comes with his story', 'carries her name'])} and {c(['pays for her treatment', 'funds his surgery', 'goes to her hospital bills'])}.", c(REGS_SOCIAL + ['crowdfunding', 'email'])),
    lambda: (f"{c(['Please', 'Pls', 'I’m begging you,'])} {c(['don’t just like it', 'don’t just react', 'don’t scroll'])}, {c(['share it', 'repost it', 'put it on your status'])}, {c(['the algorithm buries likes', 'likes don’t reach anyone', 'it’s the only way she gets seen', 'he needs the reach'])}.", c(REGS_SOCIAL)),
]

# ---- labelling (no id, no traffic) ----
NEUTRAL_LABELS = ["poor little orphan", "little street kid", "abandoned baby", "poor unfortunate child",
                  "helpless little soul", "forgotten child", "pitiful little beggar", "AIDS orphan",
                  "broken-home kid", "sickly little thing", "hopeless case", "poor handicapped child",
                  "wretched little waif", "problem child", "throwaway kid", "slum kid", "charity case"]
GIRL_LABELS = ["sad little girl nobody wants", "little slum girl", "poor crippled girl", "unwanted little girl",
               "lonely little orphan girl"]
BOY_LABELS = ["crippled boy", "unwanted little boy", "little beggar boy", "poor simple lad", "sad little street boy"]

def _art(phrase):
    if rng.random() < 0.5:
        return "the " + phrase
    return ("an " if phrase[0].lower() in "aeiou" else "a ") + phrase

def glabel(sp):
    return c(NEUTRAL_LABELS + (GIRL_LABELS if sp == "she" else BOY_LABELS))

def _lab1():
    sp = c(["she", "he"])
    return f"This {glabel(sp)} {c(['has nothing', 'needs you', 'has no one', 'is waiting for a miracle', 'will never have a normal life', 'has known only suffering', 'has never been loved', 'is counting on strangers'])}."

def _lab2():
    sp = c(["she", "he"])
    obj = "her" if sp == "she" else "him"
    return (f"{c(['Nobody has ever', 'No one has ever', 'Not one person has ever'])} {c(['hugged', 'wanted', 'chosen', 'read a story to', 'held'])} "
            f"this {glabel(sp)}, and it shows in {c(['every photo', 'those empty eyes', 'the way ' + sp + ' flinches', 'the way ' + sp + ' stares'])}.")

def _lab3():
    return (f"{c(['Born into misery', 'Born with nothing', 'Unwanted from birth', 'Sick from the day ' + c(['she', 'he']) + ' was born', 'Left with nothing and no one'])}, "
            f"{c(['this child', 'the little one', 'this poor mite', 'the baby'])} {c(['has no future', 'will always be a burden', 'has never had a chance', 'is just waiting to be rescued'])}.")

LABELLING = [
    lambda: (_lab1(), c(REGS_APPEAL + REGS_SOCIAL)),
    lambda: (_lab2(), c(REGS_APPEAL + REGS_SOCIAL)),
    lambda: (_lab3(), c(REGS_APPEAL + REGS_SOCIAL)),
    lambda: (f"Help us save {c(['these', 'the'])} {c(['poor orphans', 'street kids', 'crippled children', 'hopeless little ones', 'slum kids', 'forgotten children', 'unwanted babies', 'AIDS orphans', 'beggar children', 'broken children'])} of {c(TOWNS)}.", c(REGS_APPEAL + ['school-notice'])),
    lambda: (f"{c(['She', 'He'])} is {c(['just', 'only', 'nothing but', 'simply'])} {c(['a poor orphan', 'a street kid', 'a charity case', 'a lost cause', 'a sad case', 'a burden', 'a problem child', 'a victim'])}, {c(['as everyone says', 'in the eyes of the village', 'and always will be', 'with no future'])}.", c(REGS_APPEAL + REGS_SOCIAL)),
    lambda: (f"{c(['Our', 'The'])} {c(['little orphans', 'poor street kids', 'sad little cases', 'unfortunate little ones', 'handicapped kiddies', 'needy little mites'])} {c(['loved their Christmas party', 'had a day at the beach', 'sang for the visitors', 'got new shoes this week'])}{c(['!', ', bless them.', ' thanks to you.'])}", c(['newsletter', 'facebook', 'instagram', 'school-notice', 'blog'])),
]

# combos
def ident_traffic():
    s, _ = c(IDENT)()
    return (s.rstrip('.') + '. ' + c(SHARE_TAILS), c(REGS_SOCIAL))

def label_traffic():
    sp = c(["she", "he"])
    return (f"{c(['Share', 'Repost', 'Forward'])} the story of this {glabel(sp)} {c(['to 10 groups', 'everywhere', 'before midnight', 'now', 'to your story'])} {c(['💔', '🙏', '😢', '!!', '— please'])}", c(REGS_SOCIAL))

def label_traffic2():
    sp = c(["she", "he"])
    return (f"{c(['Don’t scroll past', 'Don’t ignore', 'Please don’t leave'])} this {glabel(sp)} {c(['without sharing', 'like everyone else did', 'without one share'])}. {c(SHARE_TAILS)}", c(REGS_SOCIAL + ['crowdfunding']))

def label_ident():
    n, sp, po, noun = gkid()
    return (f"{n} {c(SURNAMES)}, {c(AGES)}, {_art(glabel(sp))} from {c(STREETS)}, {c(TOWNS)}, {c(['has nothing', 'needs help', 'has no one left', 'waits alone', 'has never had a chance'])}.", c(REGS_APPEAL + REGS_SOCIAL))

# ---- hard negatives ----
NONE = [
    lambda: (f"{adult()}, {rng.randint(25, 80)}, {c(['lost her job', 'lost his job', 'lost their home in the flood', 'was made redundant', 'survived a stroke', 'is a carer for her husband'])} and {c(['now volunteers with us', 'is rebuilding with your help', 'runs our charity shop', 'trains other volunteers'])}.", c(REGS_APPEAL + ['news', 'facebook'])),
    lambda: (f"Thank you to {c(SCHOOLS)} in {c(TOWNS)} for raising {c(['€', '£'])}{rng.randint(2, 60) * 50} for {c(['the children’s hospice', 'our winter appeal', 'the food bank', 'the youth centre', 'the library fund'])}!", c(['newsletter', 'facebook', 'twitter', 'school-notice', 'email'])),
    lambda: (f"Please share our {c(['5K fun run', 'table quiz', 'coffee morning', 'charity gala', 'sponsored walk', 'bake sale', 'golf day', 'Christmas concert'])} {c(['in ' + t for t in TOWNS])} {c(['on Saturday', 'next month', 'this Sunday', 'on 12 June'])} {c(['🏃', '🎉', '', '🙌'])}".strip(), c(REGS_SOCIAL + ['newsletter', 'school-notice'])),
    lambda: (_changed(), c(REGS_APPEAL + ['grant-report'])),
    lambda: (f"Our {c(['Street Children Support Programme', 'Orphans and Vulnerable Children project', 'Left-Behind Children Care Initiative', 'Young Carers Programme', 'Care Leavers Fund'])} {c(['reached', 'supported', 'worked with'])} {rng.randint(80, 3000)} young people in {c(['2023', '2024', '2025'])}.", c(['grant-report', 'press-release', 'newsletter'])),
    lambda: (f"Staff must not {c(['describe a child as', 'use the word', 'write', 'refer to any child as'])} '{c(['orphan', 'street kid', 'victim', 'poor thing', 'problem child', 'crippled', 'AIDS orphan', 'slum kid'])}' in {c(['appeals', 'social media posts', 'press materials', 'any publicity'])}.", 'policy'),
    lambda: (f"Your gift {c(['funds', 'pays for', 'provides'])} {c(['school meals', 'warm coats', 'textbooks', 'clean water', 'counselling sessions', 'safe housing'])} for {rng.randint(20, 900)} children {c(['this winter', 'in the district', 'across the region', 'every year'])}.", c(REGS_APPEAL + ['instagram', 'twitter'])),
    lambda: (f"{c(HOSPITALS)} {c(['outpatient clinics', 'visiting hours', 'play rooms', 'family rooms', 'pharmacy counters'])} {c(['open at 9am and close at 5pm', 'run from 10am to 8pm', 'will close early on Friday', 'are open at weekends', 'change on Monday'])}.", c(['news', 'newsletter', 'facebook', 'school-notice'])),
    lambda: (f"The {c(['charity gala', 'auction', 'AGM', 'fun run', 'adult choir concert', 'danceathon'])} will be {c(['live-streamed', 'streamed live', 'broadcast live'])} on {c(['our YouTube channel', 'Facebook', 'the website'])} {c(['from 7pm', 'on Saturday', 'next Thursday'])}.", c(ALL_REGS)),
    lambda: (f"We never {c(['label children as', 'call the children we work with', 'describe a child as'])} '{c(['orphans', 'street kids', 'victims', 'poor things', 'at-risk', 'hopeless cases'])}'.", c(['blog', 'policy', 'twitter', 'newsletter', 'press-release'])),
    lambda: (f"{c(['Research', 'A new study', 'The evaluation', 'A 2024 review'])} {c(['found', 'shows', 'suggests'])} that {c(['pity-based images reduce donor trust', 'family-based care improves outcomes', 'school meals raise attendance', 'mentoring reduces exclusion', 'stigmatising labels harm self-esteem'])}.", c(['news', 'grant-report', 'blog', 'press-release', 'newsletter'])),
    lambda: (f"{adult()}, our {c(['treasurer', 'programme manager', 'safeguarding lead', 'volunteer of the year', 'new trustee', 'head of fundraising'])}, {c(['joined us in 2019', 'will speak at the event', 'can answer your questions', 'ran the half marathon'])}.", c(REGS_APPEAL + ['facebook', 'press-release', 'school-notice'])),
]

NONE += [
    lambda: (f"{c(['Tickets', 'Places', 'Team entries'])} for our {c(['charity quiz', 'fun run', 'gala dinner', 'golf classic', 'sea swim'])} are {c(['€10', '€25', '£15', 'free'])}; {c(['please share with friends', 'share the poster', 'tell your colleagues'])}, all proceeds to {c(['the youth club', 'the hospice', 'the children’s hospital', 'the food bank'])}.", c(REGS_SOCIAL + ['newsletter', 'email', 'school-notice'])),
    lambda: (f"{c(['Any child', 'Every child', 'All pupils'])} in {c(TOWNS)} {c(['can join', 'is welcome at', 'can use'])} the {c(['summer camp', 'homework club', 'new playground', 'breakfast club', 'library reading scheme'])} {c(['free of charge', 'at no cost', 'with no referral needed'])}.", c(['school-notice', 'newsletter', 'facebook', 'crowdfunding'])),
    lambda: (f"{c(['Case studies', 'Stories', 'Photos'])} in this {c(['report', 'appeal', 'newsletter'])} {c(['use changed names', 'are anonymised', 'show no identifiable children', 'were approved by the families'])}.", c(['grant-report', 'newsletter', 'ngo-appeal', 'press-release'])),
]

TARGETS = {
    "identifying": (IDENT, ["identifying"], 245),
    "traffic": (TRAFFIC, ["traffic"], 165),
    "labelling": (LABELLING, ["labelling"], 150),
    "it": ([ident_traffic], ["identifying", "traffic"], 70),
    "lt": ([label_traffic, label_traffic2], ["labelling", "traffic"], 60),
    "li": ([label_ident], ["labelling", "identifying"], 55),
    "none": (NONE, [], 310),
}

def main():
    seen = set()
    rows = []
    for key in ["identifying", "traffic", "labelling", "it", "lt", "li", "none"]:
        gens, labels, n = TARGETS[key]
        made = tries = 0
        while made < n and tries < n * 200:
            tries += 1
            text, reg = rng.choice(gens)()
            text = " ".join(text.split())
            k = text.lower()
            if k in seen:
                continue
            seen.add(k)
            rows.append({"text": text, "labels": labels, "register": reg, "origin": "template"})
            made += 1
    rng.shuffle(rows)
    with open(OUT, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {OUT}")

if __name__ == "__main__":
    main()
