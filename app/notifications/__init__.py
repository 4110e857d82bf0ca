"""In-app notifications: a message and a link for one person, written by any feature's services.

Below the features in the layers, so plans and certification tell a rep about a coach's decision
in the same transaction as the decision, as coaching does.
"""
