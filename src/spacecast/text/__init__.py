"""Words in, words out: articles read, condensed and composed into a script.

Never speaks, mixes, publishes or touches the network (``tests/test_architecture.py``).
"""
