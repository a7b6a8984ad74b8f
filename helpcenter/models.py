# The help center keeps no rows of its own: what editors count lives in insights.DailyCount.
