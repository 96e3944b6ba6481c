"""Copy about one child with something for every kind of fix: safe redactions (phone, ID
number, street address) and unsafe rewrites (full name, label, share demand)."""
STORY_EN = (
    "Lily Chen, 7, lives at 14 Birch Lane with her gran. She is an AIDS orphan. "
    "Call her gran on 07700 900123.\n\nLily needs surgery, please share to save her! Every share counts.\n"
)
STORY_ZH = "王小雨今年8岁，是个留守儿童，家住幸福路12号。转发救命！求扩散！联系电话：13812345678，身份证号：440306201506121537。\n"
