"""Six small invented news articles, the answer path's fixture: each question below has its answer
in one sentence, next to sentences on the same topic that do not answer it."""

from __future__ import annotations

ARTICLES = [
    ("Fuel prices ease in Eastland",
     "The average price of diesel in Eastland fell to 1.85 per litre this week, the energy ministry "
     "said on Tuesday. Petrol prices were unchanged. Hauliers had warned for months that fuel costs "
     "were squeezing their margins."),
    ("Harbour strike ends",
     "Dock workers in Port Arlen ended a nine-day strike on Friday after the union accepted a new pay "
     "offer. The walkout had stranded 40 cargo ships outside the harbour. Union leader Tomas Reyes "
     "said members voted to return to work."),
    ("Glassworks opens new plant",
     "Lumera Glassworks opened a new factory in Westhaven on Monday, creating 350 jobs. The company "
     "said the plant will make solar panel glass. It chose the site for its rail links."),
    ("River festival returns",
     "The Brightwater river festival will return on 14 June 2025 after a two-year pause, organisers "
     "said. Last year's event was cancelled because of flooding. Tickets go on sale next month."),
    ("Council approves library",
     "The city council of Norbridge approved plans for a new central library on Wednesday. The "
     "building will cost 12 million crowns and open in 2027. Councillor Anna Lindqvist proposed "
     "the plan."),
    ("Rail line delayed",
     "The opening of the coastal rail line has been delayed again, the transport authority said. "
     "Engineers found cracks in two bridges. Commuters will keep using replacement buses."),
]

# question -> (the words the answering sentence holds, the short answer)
QUESTIONS = {
    "What was the average diesel price in Eastland this week?": ("1.85 per litre", "1.85 per litre"),
    "Who is the union leader in Port Arlen?": ("Tomas Reyes", "Tomas Reyes"),
    "How many cargo ships were stranded by the strike?": ("40 cargo ships", "40 cargo ships"),
    "Where did Lumera Glassworks open a new factory?": ("Westhaven", "Westhaven"),
    "When will the Brightwater river festival return?": ("14 June 2025", "14 June 2025"),
    "Which company opened a factory in Westhaven?": ("Lumera Glassworks", "Lumera Glassworks"),
}
