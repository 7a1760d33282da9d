"""kiemdiem: the yearly review and quality classification of Party members and organizations."""
