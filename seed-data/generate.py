#!/usr/bin/env python3
"""Generate Signpost's bundled SAMPLE directory: seed-data/directory.json.

Everything this script writes is FICTIONAL SAMPLE DATA. The areas (Hull, Newham, Cornwall) and
their postcode districts are real, so that searching by place works, but every organisation,
person, email address, phone number, charity and company number is made up:

* emails use the reserved example.org / example.com domains;
* phone numbers come from Ofcom's ranges kept for TV and radio drama
  (01632 960xxx, 020 7946 0xxx, 07700 900xxx);
* charity and company numbers start with 99, outside the ranges the regulators have issued.

The output is deterministic: the same script always writes the same file (standard library
only, one random.Random(20261121), no clock). "Today", for working out which checks have
expired and which listings have ended, is fixed at 2026-11-21.

Run from anywhere:  python3 seed-data/generate.py
The script checks its own output (importer rules and coverage targets) and prints a summary.
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20261121
TODAY = date(2026, 11, 21)
OUT = Path(__file__).resolve().parent / "directory.json"

rng = random.Random(SEED)

CATEGORIES = [
    "sport", "arts-crafts", "music", "dance-drama", "outdoors", "youth-club", "wellbeing",
    "peer-support", "lgbtq", "young-carers", "send-inclusive", "volunteering",
    "skills-learning", "faith-culture", "family", "holiday-food",
]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS = DAYS[:5]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# ---------------------------------------------------------------------------------------------
# Areas, postcode districts and venues
# ---------------------------------------------------------------------------------------------

AREAS = {
    "hull": {"name": "Hull", "body": "Hull Social Prescribing Partnership",
             "checkers": ["R. Patel, link worker", "J. Okafor, social prescribing link worker",
                          "M. Harrison, community navigator"]},
    "newham": {"name": "Newham", "body": "Newham Youth Link Workers",
               "checkers": ["S. Begum, youth link worker", "T. Adeyemi, youth link worker",
                            "L. Nowak, community connector"]},
    "cornwall": {"name": "Cornwall", "body": "Cornwall Community Connectors",
                 "checkers": ["K. Trevaskis, community connector", "D. Pascoe, community connector",
                              "A. Hosking, link worker"]},
}

# district: (area, town, lat, lon, max offset km, allowed bearings in degrees (from, to))
# Centres are approximate, from general knowledge. Bearings keep venues on land where a
# district centre sits next to the sea, an estuary or a dock.
DISTRICTS = {
    "HU1": ("hull", "Hull", 53.7445, -0.3330, 0.9, (-70, 80)),
    "HU2": ("hull", "Hull", 53.7525, -0.3370, 1.0, (0, 360)),
    "HU3": ("hull", "Hull", 53.7420, -0.3600, 1.0, (-80, 90)),
    "HU4": ("hull", "Hull", 53.7360, -0.3950, 1.2, (-90, 100)),
    "HU5": ("hull", "Hull", 53.7596, -0.3752, 1.2, (0, 360)),
    "HU6": ("hull", "Hull", 53.7850, -0.3700, 1.3, (0, 360)),
    "HU7": ("hull", "Hull", 53.7930, -0.3150, 1.3, (0, 360)),
    "HU8": ("hull", "Hull", 53.7680, -0.3000, 1.3, (0, 360)),
    "HU9": ("hull", "Hull", 53.7520, -0.2880, 1.1, (-90, 90)),
    "E6": ("newham", "East Ham", 51.5320, 0.0550, 1.2, (0, 360)),
    "E7": ("newham", "Forest Gate", 51.5480, 0.0260, 1.0, (0, 360)),
    "E12": ("newham", "Manor Park", 51.5510, 0.0520, 1.0, (0, 360)),
    "E13": ("newham", "Plaistow", 51.5260, 0.0260, 1.0, (0, 360)),
    "E15": ("newham", "Stratford", 51.5400, 0.0020, 1.0, (0, 360)),
    "E16": ("newham", "Canning Town", 51.5130, 0.0230, 0.9, (-70, 70)),
    "TR1": ("cornwall", "Truro", 50.2630, -5.0510, 1.2, (-120, 120)),
    "TR7": ("cornwall", "Newquay", 50.4120, -5.0720, 1.0, (60, 230)),
    "TR15": ("cornwall", "Redruth", 50.2330, -5.2260, 1.3, (0, 360)),
    "TR18": ("cornwall", "Penzance", 50.1200, -5.5380, 0.9, (250, 380)),
    "PL25": ("cornwall", "St Austell", 50.3400, -4.7900, 1.3, (-100, 100)),
    "TR14": ("cornwall", "Camborne", 50.2130, -5.3000, 1.3, (0, 360)),
    "TR11": ("cornwall", "Falmouth", 50.1530, -5.0710, 0.9, (180, 300)),
}

# Community venues in each district: (fictional venue name, street). Streets are real streets in
# or near the district; the venues themselves are invented.
VENUE_POOL = {
    "HU1": [("Whitefriargate Community Rooms", "Whitefriargate"), ("Old Town Youth Centre", "High Street"),
            ("Humber Street Arts Loft", "Humber Street"), ("Albion Street Learning Rooms", "Albion Street"),
            ("Queen's Gardens Pavilion", "Guildhall Road")],
    "HU2": [("Wincolmlee Workshop", "Wincolmlee"), ("Charterhouse Lane Hall", "Charterhouse Lane"),
            ("Beverley Road Community Hall", "Beverley Road"), ("Freetown Way Youth Base", "Freetown Way")],
    "HU3": [("Hessle Road Network Centre", "Hessle Road"), ("Spring Bank Community Centre", "Spring Bank"),
            ("Anlaby Road Chapel Hall", "Anlaby Road"), ("Boulevard Sports Hall", "Boulevard"),
            ("West Park Pavilion", "Walton Street")],
    "HU4": [("Pickering Park Pavilion", "Pickering Road"), ("Boothferry Road Community Hall", "Boothferry Road"),
            ("Anlaby Park Hut", "Anlaby Park Road North"), ("Gipsyville Family Centre", "Hessle High Road")],
    "HU5": [("Newland Avenue Community Hall", "Newland Avenue"), ("Chanterlands Avenue Church Hall", "Chanterlands Avenue"),
            ("Pearson Park Pavilion", "Pearson Park"), ("Princes Avenue Studio", "Princes Avenue"),
            ("Avenues Library Room", "Chanterlands Avenue")],
    "HU6": [("Orchard Park Community Hub", "Orchard Park Road"), ("Cottingham Road Sports Centre", "Cottingham Road"),
            ("Greenwood Avenue Youth Centre", "Greenwood Avenue"), ("Inglemire Lane Hall", "Inglemire Lane")],
    "HU7": [("Bransholme Community Centre", "Goodhart Road"), ("Kingswood Family Rooms", "Wawne Road"),
            ("Noddle Hill Nature Hut", "Noddle Hill Way"), ("North Bransholme Youth Base", "Goodhart Road")],
    "HU8": [("Sutton Village Hall", "Church Street, Sutton-on-Hull"), ("Holderness Road Community Centre", "Holderness Road"),
            ("East Park Pavilion", "Holderness Road"), ("Garden Village Club House", "Laburnum Avenue")],
    "HU9": [("Marfleet Community Hub", "Marfleet Lane"), ("Preston Road Youth Centre", "Preston Road"),
            ("Greatfield Family Centre", "Shannon Road"), ("Holderness Road East Hall", "Holderness Road")],
    "E6": [("East Ham Community Rooms", "High Street South"), ("Central Park Pavilion", "High Street South"),
           ("Beckton Community Centre", "Tollgate Road"), ("Lonsdale Avenue Hall", "Lonsdale Avenue"),
           ("Barking Road Youth Base", "Barking Road")],
    "E7": [("Forest Gate Community Hall", "Woodgrange Road"), ("Wanstead Flats Pavilion", "Capel Road"),
           ("Romford Road Studio", "Romford Road"), ("Upton Lane Church Hall", "Upton Lane")],
    "E12": [("Manor Park Community Centre", "Romford Road"), ("Little Ilford Youth Room", "Church Road"),
            ("Station Road Hall", "Station Road"), ("Rabbits Road Family Rooms", "Rabbits Road")],
    "E13": [("Plaistow Community Hall", "Balaam Street"), ("Greengate Youth Centre", "Greengate Street"),
            ("Terrace Road Studio", "Terrace Road"), ("Prince Regent Lane Hall", "Prince Regent Lane")],
    "E15": [("Stratford Community Loft", "The Broadway"), ("Water Lane Youth Hub", "Water Lane"),
            ("Leytonstone Road Hall", "Leytonstone Road"), ("Stratford Park Pavilion", "Romford Road"),
            ("Carpenters Road Studios", "Carpenters Road")],
    "E16": [("Custom House Community Centre", "Freemasons Road"), ("Canning Town Youth Hub", "Barking Road"),
            ("Royal Docks Waterside Rooms", "Western Gateway"), ("Victoria Dock Road Studio", "Victoria Dock Road")],
    "TR1": [("Kenwyn Road Community Hall", "Kenwyn Road"), ("Lemon Street Studio", "Lemon Street"),
            ("Boscawen Park Pavilion", "Malpas Road"), ("River Street Youth Rooms", "River Street"),
            ("Treliske Sports Hall", "Treliske")],
    "TR7": [("Fore Street Community Rooms", "Fore Street"), ("Trenance Park Pavilion", "Trenance Road"),
            ("Tower Road Hall", "Tower Road"), ("Edgcumbe Avenue Youth Base", "Edgcumbe Avenue")],
    "TR15": [("Redruth Community Rooms", "Fore Street"), ("Clinton Road Hall", "Clinton Road"),
             ("Carn Brea Leisure Studio", "Station Hill"), ("Penryn Street Youth Hub", "Penryn Street")],
    "TR18": [("Penzance Community Hall", "Alverton Road"), ("Causewayhead Studio", "Causewayhead"),
             ("Penlee Park Pavilion", "Morrab Road"), ("Market Jew Street Rooms", "Market Jew Street")],
    "PL25": [("St Austell Community Hall", "Truro Road"), ("Fore Street Rooms", "Fore Street"),
             ("Poltair Park Pavilion", "Poltair Road"), ("Bodmin Road Youth Base", "Bodmin Road")],
    "TR14": [("Camborne Community Centre", "Trelowarren Street"), ("Dolcoath Road Hall", "Dolcoath Road"),
             ("Cross Street Studio", "Cross Street"), ("Recreation Ground Pavilion", "Trevu Road")],
    "TR11": [("Falmouth Community Rooms", "Killigrew Street"), ("Kimberley Park Pavilion", "Kimberley Park Road"),
             ("Arwenack Street Studio", "Arwenack Street"), ("Dracaena Avenue Hall", "Dracaena Avenue")],
}

AREA_LANGUAGES = {
    "hull": ["Polish", "Kurdish", "Arabic", "Romanian", "British Sign Language"],
    "newham": ["Bengali", "Urdu", "Tamil", "Somali", "Romanian", "Gujarati", "Punjabi",
               "Lithuanian", "Portuguese", "British Sign Language"],
    "cornwall": ["Cornish", "Polish", "Portuguese", "British Sign Language"],
}

FIRST_NAMES = {
    "hull": ["Sam", "Jess", "Tom", "Kelly", "Dan", "Zofia", "Lee", "Becky", "Craig", "Amina", "Marek", "Leanne",
             "Rob", "Hana", "Gemma"],
    "newham": ["Aisha", "Kwame", "Priya", "Ibrahim", "Fatima", "Daniel", "Chloe", "Amir", "Grace", "Olu",
               "Hodan", "Ravi", "Nadia", "Andrei", "Shanice"],
    "cornwall": ["Jago", "Tamsin", "Kerensa", "Morwenna", "Rory", "Demelza", "Kai", "Leah", "Ben", "Lowenna",
                 "Piran", "Ellie", "Josh", "Bryony", "Tristan"],
}

# ---------------------------------------------------------------------------------------------
# Dates used by one-off events (Dec 2026 - Mar 2027)
# ---------------------------------------------------------------------------------------------

XMAS_DAYS = [("2026-12-21", "10:00", "14:00"), ("2026-12-22", "10:00", "14:00"),
             ("2026-12-23", "10:00", "14:00"), ("2026-12-29", "10:00", "14:00"),
             ("2026-12-30", "10:00", "14:00")]
FEB_HALF_TERM = [("2027-02-15", "10:00", "14:00"), ("2027-02-16", "10:00", "14:00"),
                 ("2027-02-17", "10:00", "14:00"), ("2027-02-18", "10:00", "14:00")]
XMAS_CRAFT = [("2026-12-12", "10:00", "12:30"), ("2026-12-19", "13:00", "16:00"),
              ("2026-12-22", "10:30", "12:30")]
PANTO = [("2026-12-21", "10:00", "15:00"), ("2026-12-22", "10:00", "15:00"), ("2026-12-23", "10:00", "15:00")]
CAROLS = [("2026-12-13", "16:00", "17:30"), ("2026-12-20", "16:00", "17:30"), ("2026-12-18", "18:00", "19:30")]
WINTER_TRIPS = [("2026-12-28", "09:30", "16:00"), ("2027-02-16", "09:30", "16:00"), ("2027-01-30", "10:00", "15:00")]
NIGHT_HIKES = [("2027-01-15", "18:30", "21:00"), ("2027-02-12", "18:30", "21:00")]
FAMILY_DAYS = [("2027-01-02", "11:00", "14:00"), ("2027-02-06", "12:00", "15:00"), ("2027-03-13", "11:00", "15:00")]


def first_weekday_of_months(dayname: str, start: str, end: str, months: list[tuple[int, int]]):
    out = []
    wd = DAYS.index(dayname)
    for y, m in months:
        d = date(y, m, 1)
        while d.weekday() != wd:
            d += timedelta(days=1)
        out.append((d.isoformat(), start, end))
    return out


WINTER_MONTHS = [(2026, 12), (2027, 1), (2027, 2), (2027, 3)]
MONTHLY_SUN = first_weekday_of_months("sunday", "10:00", "12:00", WINTER_MONTHS)
MONTHLY_SAT = first_weekday_of_months("saturday", "10:30", "12:30", WINTER_MONTHS)

# ---------------------------------------------------------------------------------------------
# Content: kinds of provider, with fictional providers in each area and the activities they run
# ---------------------------------------------------------------------------------------------


def T(slug, titles, desc, cats, ages, when, **kw):
    """An activity template."""
    t = dict(slug=slug, titles=titles if isinstance(titles, list) else [titles], desc=desc,
             cats=cats, ages=ages if isinstance(ages, list) else [ages],
             when=when if isinstance(when, list) else [when])
    t.update(kw)
    return t


# Cost shorthands: "free", ("paid", lo, hi), "either" (free or cheap, decided at random)
FOOTBALL = dict(
    key="football", lead="Club Welfare Officer", legal=["none", "charity"],
    pdesc="A friendly, volunteer-run football club in {town} with teams for boys and girls from under-7s "
          "to under-16s. Everyone gets a game, whatever their skill level.",
    providers=[("hull", "Humber Wanderers Junior FC", "HU4", None),
               ("newham", "Stratford Rovers Youth FC", "E15", None),
               ("cornwall", "Carn Brea Colts FC", "TR15", None),
               ("cornwall", "Clay Country Juniors FC", "PL25", None)],
    acts=[
        T("girls-football", ["Saturday Football for Girls", "Girls' Football Club", "Girls Kick Off"],
          "Fun football sessions just for girls. You don't need any experience or your own boots - trainers "
          "are fine. We play small-sided games, learn new skills and make friends.",
          ["sport"], ["8-13", "9-14", "7-11"], "sat", gender="girls", cost=("paid", 100, 250),
          join=["drop-in"], notes="Bring trainers, shin pads if you have them, and a water bottle.",
          contact="Coach", season=True),
        T("mini-kickers", ["Mini Kickers", "Tiny Tots Football"],
          "A gentle first taste of football for little ones. Lots of running, chasing and scoring goals, with "
          "parents and carers on the touchline cheering.", ["sport", "family"], ["4-6", "3-5"], "weekend",
          cost=("paid", 200, 400), join=["booking", "drop-in"], contact="Coach"),
        T("junior-training", ["Under-12s Training Night", "Junior Football Training"],
          "Weekly training for our junior teams. New players can try three free sessions before deciding "
          "whether to join a team.", ["sport"], ["9-12", "8-12"], "evening-early",
          cost=("paid", 250, 450), bursary=0.6, join=["self-referral", "drop-in"], contact="Coach", season=True),
        T("pan-disability", ["Pan-disability Football", "Football for All Abilities"],
          "Relaxed football for young people with a disability, autism or a learning difficulty. Coaches go at "
          "your pace and there is a quiet space if things get too much.", ["sport", "send-inclusive"],
          ["8-18", "10-18"], "sun", cost="free", send=1.0, quiet=0.7, wheel=0.9,
          join=["self-referral", "drop-in"], contact="Coach"),
        T("boys-football-chat", ["Boys' Football and Chat", "Kickabout and Talk"],
          "An evening kickabout followed by a drink, a snack and a chat about whatever's on your mind. "
          "No pressure to talk - you can just play.", ["sport", "wellbeing", "peer-support"],
          ["12-16", "13-17"], "evening", gender="boys", cost="free", join=["drop-in"], contact="Coach"),
    ])

NETBALL = dict(
    key="netball", lead="Club Welfare Officer", legal=["none"],
    pdesc="A community netball club in {town} that welcomes girls of every ability. Our coaches are "
          "volunteers who love the game.",
    providers=[("hull", "Bransholme Bees Netball Club", "HU7", None),
               ("newham", "Forest Gate Flyers Netball", "E7", None),
               ("cornwall", "Fal Estuary Netball Juniors", "TR11", None)],
    acts=[
        T("girls-netball", ["Netball for Girls", "After-school Netball"],
          "Passing, shooting and lots of games. A great way to get fit and make friends, even if you have "
          "never played before.", ["sport"], ["9-14", "8-13"], "after-school", gender="girls",
          cost=("paid", 150, 300), join=["drop-in"], contact="Coach"),
        T("teen-netball", ["Back to Netball Teens", "Teen Netball Nights"],
          "Haven't played since primary school? This relaxed session is for teenage girls who want to get back "
          "into netball, get fit and have a laugh.", ["sport", "wellbeing"], ["13-18", "14-19"], "evening",
          gender="girls", cost=("paid", 200, 350), concession=0.7, join=["drop-in"], contact="Coach"),
        T("netball-tots", ["Netball Tots", "Bouncing Balls for Tots"],
          "Ball games, running and jumping for little ones and their grown-ups, with a mini netball match at "
          "the end.", ["sport", "family"], ["3-5", "4-7"], "weekend", cost=("paid", 200, 300),
          join=["booking"], contact="Coach"),
    ])

BOXING = dict(
    key="boxing", lead="Head Coach and Welfare Lead", legal=["none", "charity"],
    pdesc="A community boxing gym in {town} that uses boxing to build fitness, confidence and discipline. "
          "Most of our members never step into a ring to compete.",
    providers=[("hull", "Dockside Boxing Academy", "HU3", None),
               ("newham", "Royal Docks Boxing Gym", "E16", None),
               ("cornwall", "St Austell Bay Boxing Club", "PL25", None)],
    acts=[
        T("boxing-fitness", ["Boxing Fitness for Teens", "Teen Boxercise"],
          "Pads, skipping, circuits and footwork - a tough but fun workout with no sparring. Gloves and wraps "
          "are provided.", ["sport", "wellbeing"], ["11-16", "12-17"], "evening", cost=("paid", 150, 300),
          concession=0.9, join=["drop-in"], contact="Coach"),
        T("girls-boxing", ["Girls' Boxing Club", "Girls-only Boxing"],
          "A girls-only session with a female coach. Learn the basics, punch some pads and build your "
          "confidence. No sparring unless you want to.", ["sport"], ["11-17", "12-18"], "evening",
          gender="girls", cost="either", join=["drop-in"], contact="Coach"),
        T("boys-boxing", ["Boys' Boxing Night", "Junior Boys' Boxing"],
          "Skills, fitness and respect. Our coaches help younger boys learn to box safely and to keep their "
          "cool in and out of the gym.", ["sport"], ["10-15", "9-14"], "after-school", gender="boys",
          cost=("paid", 150, 250), join=["drop-in"], contact="Coach"),
        T("boxing-mentoring", ["Boxing Mentoring Programme", "Box Clever Mentoring"],
          "One-to-one mentoring with a boxing session each week, for young people who are finding school or "
          "life hard right now. A school, social worker or youth worker can refer you.",
          ["sport", "wellbeing"], ["12-18"], "after-school", cost="free",
          join=["professional-referral"], contact="Mentoring lead"),
    ])

SWIM = dict(
    key="swim", lead="Welfare Officer", legal=["charity", "none"],
    pdesc="A swimming club in {town} for children and young people of every ability, from first splashes to "
          "club squads.",
    providers=[("hull", "Otterbank Swimming Club", "HU6", [("Otterbank Leisure Pool", "Cottingham Road")]),
               ("newham", "Stratford Seals Swim Club", "E15", [("Water Lane Pool", "Water Lane")]),
               ("cornwall", "Penwith Pilchards Swim Club", "TR18", [("Mount's Bay Pool", "Alverton Road")])],
    acts=[
        T("sensory-swim", ["Sensory-friendly Swimming", "Quiet Swim for SEND Families"],
          "A calm swim with the music off, the lights low and fewer people in the pool. Great for children with "
          "autism, ADHD or sensory needs. Families swim together and staff are on hand to help.",
          ["sport", "send-inclusive", "family"], ["4-16", "3-18"], "sun", cost=("paid", 150, 300),
          concession=1.0, send=1.0, quiet=1.0, wheel=1.0, join=["booking"], contact="Pool team", req=True),
        T("learn-swim", ["Learn to Swim for Beginners", "Beginner Swimming Lessons"],
          "Small groups in the learner pool with a qualified teacher. Perfect if your child is nervous in the "
          "water or has never had lessons.", ["sport", "skills-learning"], ["5-11"], "after-school",
          cost=("paid", 450, 700), bursary=0.7, join=["booking"], contact="Lessons coordinator"),
        T("teen-swim", ["Teen Swim and Chill", "Teen Lane Swimming"],
          "A teens-only swim with music on and inflatables out in the second half. Come with your mates.",
          ["sport"], ["12-18", "13-17"], "evening", cost=("paid", 200, 300), join=["drop-in"], contact="Pool team"),
        T("family-splash", ["Family Splash Time", "Parent and Baby Splash"],
          "Warm water, floats and songs for babies and toddlers with their grown-ups. A lovely way to build "
          "confidence in the water from the very start.", ["family", "sport"], ["6m-4", "0m-18m"], "baby",
          cost=("paid", 200, 400), join=["drop-in", "booking"], contact="Pool team"),
    ])

CRICKET = dict(
    key="cricket", lead="Club Welfare Officer", legal=["none"],
    pdesc="A friendly cricket club in {town}. We play indoors in winter and outdoors from April, and total "
          "beginners are always welcome.",
    providers=[("hull", "Garden Village Cricket Club", "HU8", None),
               ("newham", "East Ham Tigers Cricket Club", "E6", None)],
    acts=[
        T("girls-cricket", ["Girls' Cricket Taster", "Girls' Indoor Cricket"],
          "Soft-ball cricket just for girls in a warm sports hall. Bat, bowl and catch with friendly coaches. "
          "All kit provided.", ["sport"], ["8-14", "9-15"], "evening-early", gender="girls", cost="either",
          join=["booking", "drop-in"], contact="Coach"),
        T("little-stumps", ["Little Stumps Cricket", "First Steps Cricket"],
          "Fun games that teach the very first cricket skills, with a small prize for everyone at the end.",
          ["sport", "family"], ["5-8"], "sat", cost=("paid", 300, 450), join=["booking"], contact="Coach"),
        T("tape-ball", ["Tape-ball Cricket Nights", "Friday Night Tape-ball"],
          "Fast, fun tape-ball cricket in the sports hall. Come with mates or come on your own - we'll find you "
          "a team.", ["sport", "youth-club"], ["12-18", "13-19"], "fri-evening", cost="either",
          join=["drop-in"], contact="Coach"),
    ])

SURF = dict(
    key="surf", lead="Lead Instructor (Safeguarding)", legal=["cic"],
    pdesc="A not-for-profit surf school in {town} that gets local young people into the sea safely. Money "
          "from paid lessons goes back into free places.",
    providers=[("cornwall", "Kernow Surf Kids CIC", "TR7", [("Towan Beach Surf Hut", "Beach Road")]),
               ("cornwall", "Towan Waves Surf Project", "TR7", [("Trenance Park Pavilion", "Trenance Road")])],
    kmin=3,
    acts=[
        T("surf-club", ["Surf Club for Beginners", "Saturday Surf Club"],
          "Learn to catch your first waves with qualified instructors. We practise on the sand first, then head "
          "into the shallows together.", ["sport", "outdoors"], ["8-14", "9-15"], "sat", cost=("paid", 500, 800),
          bursary=0.9, join=["booking"], contact="Instructor",
          notes="Wetsuits and boards provided. You must be able to swim 25 metres."),
        T("surf-therapy", ["Surf Therapy for Young People", "Sea and Me Surf Sessions"],
          "A six-week surf course for young people who are anxious, low or finding things tough. Small groups, "
          "kind instructors and no pressure to stand up on the board.", ["outdoors", "wellbeing", "sport"],
          ["11-18"], "sun", cost="free", join=["professional-referral", "self-referral"], contact="Project worker"),
        T("beach-clean", ["Beach Clean Squad", "Junior Beach Guardians"],
          "Help keep our beaches beautiful. We pick up litter, learn about sea creatures and finish with hot "
          "chocolate. Families welcome.", ["volunteering", "outdoors", "family"], ["5-16", "7-16"], "monthly-sun",
          cost="free", join=["drop-in"], contact="Volunteer lead", notes="Gloves and litter pickers provided."),
        T("girls-surf", ["Girls' Surf Club", "Saltwater Girls Surf Club"],
          "A surf club for girls, run by female instructors. Build your skills, cheer each other on and have a "
          "brilliant time in the waves.", ["sport", "outdoors"], ["10-16"], "sun", gender="girls",
          cost=("paid", 400, 700), bursary=0.8, join=["booking"], contact="Instructor"),
    ])

SAILING = dict(
    key="sailing", lead="Welfare Officer", legal=["charity"],
    pdesc="A community sailing and Cornish pilot gig rowing club on the Fal. We keep costs low so that any "
          "young person in {town} can get out on the water.",
    providers=[("cornwall", "Carrick Roads Youth Sailing and Gig Club", "TR11", [("Harbourside Boat Shed", "Bar Road")])],
    kmin=3,
    acts=[
        T("gig-rowing", ["Junior Gig Rowing", "Youth Gig Crew"],
          "Row a traditional Cornish pilot gig as part of a crew of six. Teamwork, fresh air and a real sense "
          "of achievement.", ["sport", "outdoors"], ["12-18"], "sat", cost=("paid", 200, 300),
          join=["booking"], contact="Cox", notes="Wear clothes you don't mind getting wet."),
        T("boat-maintenance", ["Winter Boat Maintenance Club", "Boat Shed Skills Club"],
          "Learn how to sand, varnish and repair wooden boats in our warm boat shed over the winter. Real "
          "tools, real skills.", ["skills-learning", "outdoors"], ["13-18"], "evening", cost="free",
          join=["self-referral"], contact="Boat shed lead", fixed_valid=("2026-11-02", "2027-03-26")),
        T("youth-sailing", ["Youth Sailing Club"],
          "Learn to sail a small dinghy with qualified instructors. From April to October on the calm waters "
          "of the inner harbour.", ["sport", "outdoors"], ["10-16"], "sat", cost=("paid", 600, 800),
          bursary=1.0, join=["booking"], contact="Instructor", fixed_valid=("2027-04-10", "2027-10-02")),
    ])

DANCE = dict(
    key="dance", lead="Designated Safeguarding Lead", legal=["none", "company"],
    pdesc="A dance school in {town} teaching street, contemporary and musical theatre dance to children and "
          "teenagers. We believe everyone can dance.",
    providers=[("hull", "Two Left Feet Dance Hull", "HU2", None),
               ("newham", "Rhythm Republic Dance", "E13", None),
               ("cornwall", "Kernow Kicks Dance Studio", "TR1", None)],
    acts=[
        T("street-dance", ["Street Dance for Beginners", "Hip Hop Street Dance"],
          "Learn cool moves to music you actually like. Each term we work towards a short routine to show "
          "families.", ["dance-drama"], ["8-13", "7-12"], "after-school", cost=("paid", 300, 500),
          join=["drop-in"], contact="Dance teacher"),
        T("tiny-toes", ["Tiny Toes Ballet", "Pre-school Ballet"],
          "Gentle ballet for little ones with music, props and lots of imagination. Grown-ups can watch the "
          "last ten minutes.", ["dance-drama", "family"], ["2-4", "3-5"], "baby", cost=("paid", 300, 500),
          join=["booking"], contact="Dance teacher"),
        T("boys-breaking", ["Boys' Breakdance Crew", "Breaking for Boys"],
          "Toprock, footwork, freezes and power moves. A breakdance crew for boys who want to learn from "
          "scratch.", ["dance-drama", "sport"], ["9-15"], "evening-early", gender="boys",
          cost=("paid", 200, 400), join=["drop-in"], contact="Dance teacher"),
        T("inclusive-dance", ["Inclusive Dance Company", "Everybody Dance (SEND)"],
          "A dance group for young people with and without disabilities. Wheelchair users, sign language users "
          "and first-timers all welcome.", ["dance-drama", "send-inclusive"], ["8-18", "10-25"], "sat",
          cost="either", bursary=0.6, send=1.0, wheel=1.0, quiet=0.5, join=["self-referral"], contact="Dance teacher"),
        T("teen-company", ["Teen Dance Company", "Contemporary Dance 13+"],
          "For teenagers who want to create and perform. We make new pieces together and perform them at "
          "local festivals.", ["dance-drama"], ["13-19", "13-18"], "evening", cost=("paid", 400, 600),
          bursary=0.5, join=["booking"], contact="Dance teacher"),
    ])

THEATRE = dict(
    key="theatre", lead="Designated Safeguarding Lead", legal=["charity"],
    pdesc="A youth theatre in {town} where young people make and perform their own shows. No auditions - "
          "everyone gets a part.",
    providers=[("hull", "Paragon Youth Theatre", "HU1", None),
               ("newham", "Curtain Up Newham", "E6", None),
               ("cornwall", "Penwith Playmakers", "TR18", None)],
    acts=[
        T("youth-theatre", ["Youth Theatre (11-16)", "Teen Youth Theatre"],
          "Drama games, improvisation and making a show together. Shy people very welcome - lots of our members "
          "started out nervous.", ["dance-drama"], ["11-16"], "evening", cost=("paid", 300, 500),
          bursary=0.8, join=["booking"], contact="Director"),
        T("junior-drama", ["Junior Drama Club", "Drama Games for 7-11s"],
          "Pretend, play and perform. Silly games, stories and characters for younger children.",
          ["dance-drama"], ["7-11"], "sat", cost=("paid", 300, 450), join=["booking"], contact="Director"),
        T("rainbow-drama", ["Rainbow Drama Club", "LGBTQ+ Drama Group"],
          "A drama group for LGBTQ+ young people and friends. We write scenes, play games and tell our own "
          "stories in a safe, supportive space.", ["dance-drama", "lgbtq"], ["13-19", "14-19"], "evening",
          cost="free", join=["self-referral"], contact="Director"),
        T("panto", ["Christmas Panto Workshop", "Panto in a Day"],
          "Oh yes it is! Spend the day making a mini pantomime, with costumes, jokes and a show for families "
          "at the end.", ["dance-drama", "family"], ["7-13"], "event", dates=PANTO, cost=("paid", 600, 800),
          bursary=0.7, join=["booking"], contact="Director"),
    ])

MUSIC = dict(
    key="music", lead="Music Leader (Safeguarding)", legal=["charity", "cic"],
    pdesc="A music project in {town} giving young people the chance to play, sing, write and record music, "
          "whatever their background.",
    providers=[("hull", "Humber Beats Music Project", "HU9", None),
               ("newham", "Docklands Sound Lab", "E16", None),
               ("cornwall", "Newquay Noise Rock School", "TR7", None),
               ("cornwall", "Carn Brea Brass Juniors", "TR15", ["youth-brass", "training-band", "brass-carols"])],
    acts=[
        T("guitar", ["Learn Guitar Together", "Beginners' Guitar Group"],
          "Learn your first chords and songs in a small, friendly group. No need to read music.",
          ["music"], ["9-16", "10-16"], "after-school", cost=("paid", 200, 400), bursary=0.8,
          join=["booking"], contact="Music leader", notes="Guitars to borrow - just ask."),
        T("production", ["Music Production for Teens", "Beat Making Studio"],
          "Make beats, record vocals and learn to mix on proper studio software. Bring your ideas and your "
          "headphones.", ["music", "skills-learning"], ["13-19", "14-19"], "evening", cost="free",
          join=["drop-in", "self-referral"], contact="Music leader"),
        T("band", ["Youth Band Night", "Junior Rock School"],
          "Form a band, pick a song and play it loud. Drums, bass, keys and guitar all provided.",
          ["music"], ["11-18"], "evening", cost=("paid", 200, 400), join=["booking"], contact="Music leader"),
        T("holiday-rock", ["Rock School Holiday Week", "Holiday Band Camp"],
          "Four days of music in the half-term holiday: form a band, write a song and play a gig for families "
          "on the last afternoon.", ["music", "holiday-food"], ["10-16"], "event", dates=FEB_HALF_TERM,
          n_dates=4, cost=("paid", 400, 600), bursary=1.0, join=["booking"], contact="Music leader",
          notes="Lunch is provided every day."),
        T("youth-brass", ["Youth Brass Band"],
          "Cornish brass band music for young players. If you can play a few notes on a brass instrument, come "
          "and join us.", ["music", "faith-culture"], ["10-18"], "evening-early", cost=("paid", 100, 200),
          join=["drop-in"], contact="Bandmaster", only=True),
        T("training-band", ["Training Band for Beginners", "Learn a Brass Instrument"],
          "Borrow a cornet, trombone or tenor horn and learn to play from scratch with patient tutors.",
          ["music", "skills-learning"], ["7-14"], "after-school", cost="free", join=["self-referral"],
          contact="Bandmaster", only=True),
        T("brass-carols", ["Christmas Carols with the Band"],
          "Our young players lead carols around the town. Come and sing along, or join the band for the night.",
          ["music", "family"], ["0-18"], "event", dates=CAROLS, cost="free", join=["drop-in"], contact="Bandmaster", only=True),
    ])

CHOIR = dict(
    key="choir", lead="Choir Welfare Officer", legal=["charity"],
    pdesc="A community choir for children and teenagers in {town}. We sing everything from pop to folk, and "
          "nobody has to audition.",
    providers=[("hull", "Avenues Young Voices", "HU5", None),
               ("cornwall", "Carrick Young Voices", "TR1", None)],
    kmin=3,
    acts=[
        T("kids-choir", ["Kids' Choir", "Young Voices Choir"],
          "Singing games, warm-ups and songs you'll know. Great for confidence and for making friends.",
          ["music"], ["7-11"], "after-school", cost="either", join=["drop-in"], contact="Choir leader"),
        T("teen-vocal", ["Teen Vocal Group", "Sing Your Heart Out (13+)"],
          "Harmonies, solos if you want them, and songs chosen by the group. We perform a few times a year.",
          ["music"], ["13-18"], "evening", cost=("paid", 150, 300), join=["drop-in"], contact="Choir leader"),
        T("festive-singalong", ["Festive Family Singalong", "Winter Songs for Families"],
          "A cosy singalong for all ages with mince pies and squash. Little ones can join in with bells and "
          "shakers.", ["music", "family"], ["0-16"], "event", dates=CAROLS, cost="free", join=["drop-in"],
          contact="Choir leader"),
    ])

ARTS = dict(
    key="arts", lead="Studio Manager (Safeguarding Lead)", legal=["cic", "charity"],
    pdesc="A community art space in {town} with messy, creative sessions for every age. All materials are "
          "provided.",
    providers=[("hull", "Spring Bank Art Shed", "HU3", None),
               ("newham", "Forest Gate Makers", "E7", None),
               ("cornwall", "Arwenack Art Shack", "TR11", None)],
    acts=[
        T("saturday-art", ["Saturday Art Club", "Young Artists' Club"],
          "Paint, print, sculpt and draw. Each week we try something new, inspired by a different artist.",
          ["arts-crafts"], ["7-12", "6-11"], "sat", cost=("paid", 200, 400), bursary=0.5,
          join=["booking", "drop-in"], contact="Artist"),
        T("manga", ["Comic and Manga Drawing", "Draw Your Own Comic"],
          "Create characters, plan a story and draw your own comic strip. Beginners and experts welcome.",
          ["arts-crafts"], ["10-16", "11-16"], "after-school", cost="free", join=["drop-in"], contact="Artist"),
        T("messy-play", ["Messy Play for Under-5s", "Messy Monday"],
          "Paint, gloop, sand and glitter - all the mess without the clean-up at home! Wear old clothes.",
          ["arts-crafts", "family"], ["1-4", "18m-4"], "baby", cost=("paid", 150, 300), join=["drop-in"],
          contact="Artist"),
        T("pottery", ["Pottery for Teens", "Clay and Chill"],
          "Throw pots on the wheel, make things by hand and glaze your favourites to take home.",
          ["arts-crafts", "wellbeing"], ["13-18"], "evening", cost=("paid", 400, 600), bursary=0.7,
          join=["booking"], contact="Artist"),
        T("xmas-craft", ["Christmas Craft Workshop", "Winter Makes Workshop"],
          "Make decorations, cards and presents to take home. Free, with hot chocolate for everyone.",
          ["arts-crafts", "family"], ["5-12"], "event", dates=XMAS_CRAFT, cost="free", join=["drop-in"],
          contact="Artist"),
    ])

YOUTH_CLUB = dict(
    key="youth-club", lead="Youth Work Manager", legal=["charity"],
    pdesc="An open-access youth club in {town}. Young people help decide what we do: pool, games, cooking, "
          "music, trips and plenty of time to just hang out.",
    providers=[("hull", "Orchard Park Young People's Project", "HU6", None),
               ("hull", "Marfleet Youth Hub", "HU9", None),
               ("newham", "Stratford Youth Collective", "E15", None),
               ("newham", "Plaistow Youth Space", "E13", None),
               ("newham", "Custom House Corner", "E16", None),
               ("cornwall", "Camborne Youth Shed", "TR14", None),
               ("cornwall", "Trenance Youth Project", "TR7", None),
               ("cornwall", "Penzance Harbour Youth Club", "TR18", None)],
    kmin=3,
    acts=[
        T("junior-club", ["Junior Youth Club", "Juniors Club (8-12)"],
          "Games, crafts, sport and a snack, with friendly youth workers. A great first step into youth club.",
          ["youth-club"], ["8-12", "8-11"], "after-school", cost="either", join=["drop-in"],
          contact="Youth worker"),
        T("senior-club", ["Senior Youth Club", "Teen Youth Club"],
          "Pool, table tennis, music, cooking and a place to chill with your mates. Youth workers are around if "
          "you want a chat.", ["youth-club"], ["13-19", "12-18"], "evening", cost="either", join=["drop-in"],
          contact="Youth worker"),
        T("girls-night", ["Girls' Night", "Girls' Group"],
          "A girls-only night with pamper sessions, cooking, dance and honest chats about the things that "
          "matter to you.", ["youth-club", "peer-support"], ["11-16", "12-17"], "evening", gender="girls",
          cost="free", join=["drop-in"], contact="Youth worker"),
        T("friday-project", ["Friday Night Project", "Friday Late"],
          "Somewhere warm and safe to be on a Friday night, with food, football, gaming and music.",
          ["youth-club", "sport"], ["13-19"], "fri-evening", cost="free", join=["drop-in"], contact="Youth worker"),
        T("haf", ["Holiday Club with Free Lunch (HAF)", "HAF Holiday Club"],
          "Sports, crafts, trips and a hot lunch every day in the school holidays.", ["holiday-food", "youth-club"],
          ["8-16", "5-11"], "holiday", cost="free", join=["booking"], contact="Youth worker",
          notes="Free for children who get benefits-related free school meals. Other places may be available - "
                "please ask."),
        T("boys-group", ["Boys' Group", "Lads' Night"],
          "A relaxed night for boys with sport, cooking and a chance to talk about life, friendships and "
          "growing up.", ["youth-club", "peer-support"], ["11-16", "12-16"], "evening", gender="boys",
          cost="free", join=["drop-in"], contact="Youth worker"),
    ])

WELLBEING = dict(
    key="wellbeing", lead="Designated Safeguarding Lead", legal=["charity"],
    pdesc="A small charity in {town} helping young people look after their mental health, with groups, "
          "drop-ins and friendly faces.",
    providers=[("hull", "Calm Harbour Youth Wellbeing", "HU1", None),
               ("newham", "Sunflower Minds Newham", "E12", None),
               ("cornwall", "Kernow Kind Minds CIC", "TR1", None)],
    kmin=3,
    acts=[
        T("worry-less", ["Worry Less Group", "Beat the Worry Group"],
          "A six-week group for young people who worry a lot. Learn simple ways to calm your mind and meet "
          "others who feel the same.", ["wellbeing", "peer-support"], ["11-16"], "after-school", cost="free",
          join=["self-referral", "professional-referral"], contact="Wellbeing worker"),
        T("mindfulness", ["Teen Mindfulness Evenings", "Calm Club"],
          "Breathing, stretching and quiet time in a calm, cosy room. Bring a friend if you like.",
          ["wellbeing"], ["13-18"], "evening", cost="free", quiet=1.0, join=["drop-in"], contact="Wellbeing worker"),
        T("exam-stress", ["Exam Stress Drop-in", "Exam Time Chill-out"],
          "Mocks and exams getting on top of you? Drop in for revision tips, a brew and someone to talk to.",
          ["wellbeing", "skills-learning"], ["15-19"], "after-school", cost="free", join=["drop-in"],
          contact="Wellbeing worker"),
        T("online-chat", ["Online Chill Chat", "Wellbeing Chat Online"],
          "A friendly online group where you can chat, play quiz games and share tips for feeling better. "
          "Cameras optional.", ["wellbeing", "peer-support"], ["13-18", "14-19"], "online-evening", online=True,
          cost="free", join=["self-referral"], contact="Wellbeing worker", req=True),
        T("walk-talk", ["Walk and Talk", "Wellbeing Walks"],
          "A gentle walk with a wellbeing worker and other young people. Fresh air helps!",
          ["wellbeing", "outdoors"], ["14-25"], "sun", cost="free", join=["drop-in"], contact="Wellbeing worker"),
    ])

SEND_FAMILIES = dict(
    key="send-families", lead="Designated Safeguarding Lead", legal=["charity"],
    pdesc="Run by parents, for families of children with special educational needs and disabilities (SEND) in "
          "{town}. We know how tiring it can be, so everything we do is relaxed and judgement-free.",
    providers=[("hull", "Bright Sparks SEND Families Hull", "HU8", None),
               ("newham", "Newham Neurodiverse Teens Network", "E6", None),
               ("cornwall", "Clay Country Sensory Families", "PL25", None)],
    kmin=3,
    acts=[
        T("autistic-teens", ["Autistic Teens Social", "Neurodivergent Teens Meetup"],
          "A social night for autistic and neurodivergent teenagers: games, gaming, snacks and a quiet room. "
          "Come and go as you need.", ["peer-support", "send-inclusive"], ["12-18", "13-19"], "evening",
          cost="free", send=1.0, quiet=1.0, join=["self-referral"], contact="Group leader"),
        T("send-stay-play", ["SEND Stay and Play", "Sensory Stay and Play"],
          "Play sessions for under-fives with additional needs, with sensory toys, soft play and other parents "
          "who understand.", ["send-inclusive", "family"], ["0-5"], "baby", cost="free", send=1.0, quiet=0.7,
          join=["drop-in"], contact="Group leader"),
        T("sensory-saturday", ["Sensory Saturday", "Sensory Room Sessions"],
          "Book the sensory room just for your family: lights, bubbles, music and soft mats.",
          ["send-inclusive", "family"], ["2-11"], "sat", cost=("paid", 200, 300), send=1.0, quiet=1.0,
          join=["booking"], contact="Group leader"),
        T("send-holiday", ["SEND Holiday Club", "Holiday Fun for SEND Kids"],
          "Holiday activities with lunch, one-to-one support where needed and a calm space.",
          ["send-inclusive", "holiday-food"], ["5-16"], "holiday", cost="free", send=1.0, quiet=0.8,
          join=["booking", "professional-referral"], contact="Group leader"),
        T("siblings", ["Siblings Club", "Brothers and Sisters Club"],
          "For brothers and sisters of disabled children. Games, crafts and time that's just for you.",
          ["peer-support", "young-carers"], ["7-12", "8-13"], "weekend", cost="free", join=["self-referral"],
          contact="Group leader"),
    ])

LGBTQ = dict(
    key="lgbtq", lead="Designated Safeguarding Lead", legal=["charity", "cic"],
    pdesc="A youth group for lesbian, gay, bi, trans, queer and questioning young people in {area}. A safe, "
          "welcoming space to be yourself.",
    providers=[("hull", "Humber Rainbow Youth", "HU2", None),
               ("newham", "Newham Proud Youth", "E15", None),
               ("cornwall", "Kernow Spectrum Youth", "TR1", None)],
    kmin=5,
    acts=[
        T("pride-youth", ["Pride Youth Group", "LGBTQ+ Youth Group"],
          "Meet other LGBTQ+ young people, play games, make art and talk about the things that matter to you. "
          "Questioning? You're welcome too.", ["lgbtq", "youth-club", "peer-support"], ["13-19", "13-18"],
          "evening", cost="free", join=["self-referral", "drop-in"], contact="Youth worker",
          notes="First time? Message us and a youth worker will meet you at the door."),
        T("trans-meetup", ["Young Trans and Non-binary Meetup", "Trans+ Youth Space"],
          "A relaxed space for trans, non-binary and gender-questioning young people. Use the name and pronouns "
          "that feel right.", ["lgbtq", "peer-support"], ["14-19", "13-19"], "evening", cost="free",
          join=["self-referral"], contact="Youth worker"),
        T("online", ["LGBTQ+ Online Youth Chat", "Rainbow Online Hangout"],
          "An online hangout for LGBTQ+ young people who can't get to a group in person. Chat, games and a "
          "youth worker on hand.", ["lgbtq", "peer-support"], ["13-19"], "online-evening", online=True,
          cost="free", join=["self-referral"], contact="Youth worker", req=True),
        T("rainbow-families", ["Rainbow Families Play Day", "Rainbow Families Get-together"],
          "A family day for LGBTQ+ parents and their children, and for young people with their families. "
          "Crafts, games and food.", ["lgbtq", "family"], ["0-16"], "event", dates=FAMILY_DAYS, cost="free",
          join=["drop-in"], contact="Youth worker"),
        T("under-25s", ["LGBTQ+ Young Adults (18-25)", "Queer Social 18-25"],
          "A chilled social for LGBTQ+ 18 to 25-year-olds. Board games, films and good company.",
          ["lgbtq", "peer-support"], ["18-25"], "evening", cost="free", join=["drop-in"], contact="Youth worker"),
    ])

YOUNG_CARERS = dict(
    key="young-carers", lead="Young Carers Lead", legal=["charity"],
    pdesc="Support for young carers in {area}: children and young people who help look after someone at home. "
          "We offer breaks, fun and someone to talk to.",
    providers=[("hull", "Big Hearts Young Carers", "HU3", None),
               ("newham", "Newham Young Carers Circle", "E13", None),
               ("cornwall", "Carrick and Kerrier Young Carers", "TR15", None)],
    kmin=4,
    acts=[
        T("chill-night", ["Young Carers' Chill Night", "Young Carers' Hangout"],
          "A night off from caring. Pizza, games, films and people who get it.", ["young-carers", "youth-club"],
          ["11-17", "11-16"], "evening", cost="free", join=["self-referral", "professional-referral"],
          contact="Young carers worker", req=True),
        T("junior", ["Junior Young Carers Club", "Young Carers' Club (8-11)"],
          "Crafts, games and a snack for younger carers, with time to talk if you want it.",
          ["young-carers", "arts-crafts"], ["8-11"], "after-school", cost="free",
          join=["self-referral", "professional-referral"], contact="Young carers worker"),
        T("young-adult", ["Young Adult Carers Meetup", "Young Adult Carers' Cafe"],
          "For 16 to 25-year-olds who care for someone. Advice about college, work and money, and a friendly "
          "chat over coffee.", ["young-carers", "peer-support"], ["16-25"], "evening-early", cost="free",
          join=["self-referral"], contact="Young carers worker"),
        T("day-trip", ["Young Carers' Day Out", "Young Carers' Winter Trip"],
          "A free day trip with transport and lunch included - a proper break to have fun.",
          ["young-carers", "outdoors"], ["8-17"], "event", dates=WINTER_TRIPS, n_dates=1, cost="free",
          join=["booking"], contact="Young carers worker"),
        T("online", ["Young Carers' Online Chat Night", "Young Carers Online"],
          "Can't get out in the evening? Join other young carers online for games and a natter.",
          ["young-carers", "peer-support"], ["11-18"], "online-evening", online=True, cost="free",
          join=["self-referral"], contact="Young carers worker"),
    ])

ADVENTURE = dict(
    key="adventure", lead="Designated Safeguarding Lead", legal=["charity"],
    pdesc="An adventure club in {town} getting children and young people outdoors: hiking, camping, climbing "
          "and bushcraft, with qualified leaders.",
    providers=[("hull", "Humber Trailblazers", "HU6", None),
               ("newham", "Compass Adventure Club Newham", "E12", None),
               ("cornwall", "Trevithick Trail Explorers", "TR14", None)],
    kmin=3,
    acts=[
        T("dofe", ["Duke of Edinburgh Award Group", "DofE Bronze and Silver Group"],
          "Work towards your Duke of Edinburgh Award: volunteering, a new skill, a physical activity and an "
          "expedition with your team.", ["outdoors", "volunteering", "skills-learning"], ["14-18"], "evening",
          cost=("paid", 200, 400), bursary=1.0, join=["booking"], contact="Award leader", req=True),
        T("bushcraft", ["Bushcraft Saturdays", "Wild Skills Club"],
          "Build shelters, light fires safely, cook on a campfire and spot wildlife.", ["outdoors"],
          ["8-13"], "sat", cost=("paid", 300, 500), join=["booking"], contact="Leader"),
        T("climbing", ["Climbing Wall Club", "Indoor Climbing for Teens"],
          "Learn to climb and belay safely at the climbing wall. Harnesses and shoes provided.",
          ["outdoors", "sport"], ["10-16"], "after-school", cost=("paid", 400, 600), join=["booking"],
          contact="Leader"),
        T("forest-school", ["Forest School for Little Ones", "Mini Forest Explorers"],
          "Mud, sticks, bugs and stories in the woods for toddlers and pre-schoolers with their grown-ups.",
          ["outdoors", "family"], ["2-5"], "baby", cost=("paid", 300, 500), join=["booking"], contact="Leader",
          notes="Wellies and waterproofs recommended."),
        T("night-hike", ["Night Navigation Hike", "Winter Night Walk"],
          "Learn to use a map and compass in the dark, with torches, hot drinks and stargazing.", ["outdoors"],
          ["12-17"], "event", dates=NIGHT_HIKES, cost="free", join=["booking"], contact="Leader"),
    ])

GARDEN = dict(
    key="garden", lead="Volunteer Coordinator", legal=["charity", "cic"],
    pdesc="A community garden in {town} where neighbours grow food, look after wildlife and share what they "
          "grow.",
    providers=[("hull", "Green Shoots Hull Community Garden", "HU5", None),
               ("newham", "Royal Docks Roots Garden", "E16", None),
               ("cornwall", "Penwith Earth Keepers", "TR18", None)],
    acts=[
        T("junior-gardeners", ["Junior Gardeners", "Little Growers Club"],
          "Plant seeds, dig for worms and pick your own vegetables to take home.",
          ["outdoors", "skills-learning"], ["5-11"], "weekend", cost="either", join=["drop-in"], contact="Gardener"),
        T("eco-volunteers", ["Youth Eco Volunteers", "Green Team"],
          "Help run the garden: build bug hotels, look after the pond and plant trees. Counts towards DofE "
          "volunteering.", ["volunteering", "outdoors"], ["14-19", "13-18"], "sat", cost="free",
          join=["self-referral"], contact="Volunteer coordinator"),
        T("wildlife", ["Wildlife Watch Club", "Bug Hunters"],
          "Go on bug hunts, pond dip and build homes for hedgehogs and birds.", ["outdoors"], ["6-11"],
          "after-school", cost="either", join=["drop-in"], contact="Gardener"),
        T("garden-kitchen", ["Grow, Cook, Eat", "Garden Kitchen Club"],
          "Pick vegetables from the garden and cook a tasty lunch together in the holidays.",
          ["skills-learning", "holiday-food"], ["8-14"], "holiday", cost="free", join=["booking"],
          contact="Gardener"),
    ])

CODING = dict(
    key="coding", lead="Designated Safeguarding Lead", legal=["cic", "none"],
    pdesc="A volunteer-run tech club in {town} where young people learn to code, build games and tinker with "
          "electronics.",
    providers=[("hull", "Byte Size Hull", "HU1", None),
               ("newham", "Stratford Code Crew", "E15", None),
               ("cornwall", "Kernow Pixel Lab CIC", "TR15", None)],
    acts=[
        T("coding-club", ["Coding Club", "After-school Code Club"],
          "Make games, animations and websites with Scratch and Python. Laptops provided.",
          ["skills-learning"], ["9-14", "8-13"], "after-school", cost="either", join=["booking"], contact="Mentor"),
        T("girls-code", ["Girls' Coding Night", "Girls Who Make Games"],
          "A coding night for girls. Build a game from scratch, meet women who work in tech and eat pizza.",
          ["skills-learning"], ["11-16"], "evening", gender="girls", cost="free", join=["booking"], contact="Mentor"),
        T("online-coding", ["Online Coding Club", "Code at Home"],
          "Learn to code from home with live online lessons and friendly mentors. You just need a computer.",
          ["skills-learning"], ["10-16"], "online-evening", online=True, cost="free", join=["booking"],
          contact="Mentor"),
        T("robots", ["Robot Builders Holiday Week", "Robotics Holiday Workshop"],
          "Build and program your own robot over the February half-term. Lunch included.",
          ["skills-learning", "holiday-food"], ["9-14"], "event", dates=FEB_HALF_TERM, n_dates=3,
          cost=("paid", 400, 600), bursary=1.0, join=["booking"], contact="Mentor"),
    ])

HOMEWORK = dict(
    key="homework", lead="Centre Manager", legal=["charity"],
    pdesc="A learning centre in {town} where children and young people get help with homework, reading and "
          "English.",
    providers=[("hull", "Hessle Road Learning Hub", "HU3", None),
               ("newham", "Newham Homework Hub", "E7", None)],
    kmin=3,
    acts=[
        T("homework-club", ["Homework Club", "Homework Help Club"],
          "A quiet place to do homework with volunteers who can help. Computers and a printer to use, and a "
          "snack.", ["skills-learning"], ["8-14", "11-16"], "after-school", cost="free", join=["drop-in"],
          contact="Centre team"),
        T("online-maths", ["Online Maths Help", "GCSE Maths Online"],
          "Live online maths help for GCSE students. Ask questions, go over topics and practise past papers.",
          ["skills-learning"], ["14-16"], "online-evening", online=True, cost="free", join=["booking"],
          contact="Maths tutor"),
        T("reading-buddies", ["Reading Buddies", "Storytime and Reading Club"],
          "Read with a friendly volunteer, choose books to borrow and collect stickers.", ["skills-learning"],
          ["5-9"], "after-school", cost="free", join=["drop-in"], contact="Centre team"),
        T("english-newcomers", ["English for Young Newcomers", "English Conversation Club"],
          "New to the UK? Practise your English with games and conversation, and make friends from all over "
          "the world.", ["skills-learning", "peer-support"], ["11-18"], "after-school", cost="free",
          join=["drop-in", "professional-referral"], contact="Centre team", extra_langs=2),
    ])

CAREERS = dict(
    key="careers", lead="Designated Safeguarding Lead", legal=["charity"],
    pdesc="A youth charity in {town} helping 16 to 25-year-olds take their next step into work, training or "
          "college.",
    providers=[("hull", "Humber Launchpad Youth Trust", "HU2", None),
               ("newham", "Docklands Futures", "E16", None),
               ("cornwall", "Kernow Springboard", "TR14", None)],
    acts=[
        T("cv-workshop", ["CV and Interview Skills", "Job Ready Workshop"],
          "Write a CV that stands out and practise interviews with real employers.", ["skills-learning"],
          ["16-25"], "daytime", cost="free", join=["booking"], contact="Careers coach"),
        T("driving-theory", ["Driving Theory Club"],
          "Revise for your driving theory test together with quizzes and practice tests.", ["skills-learning"],
          ["16-25"], "evening", cost="free", join=["drop-in"], contact="Careers coach"),
        T("enterprise", ["Young Entrepreneurs Club", "Start Your Own Business (16-25)"],
          "Got an idea for a business? Learn how to test it, price it and sell it, with help from local "
          "business owners.", ["skills-learning"], ["16-25"], "evening", cost="free", join=["self-referral"],
          contact="Careers coach"),
        T("volunteer-passport", ["Volunteer Passport", "Try-out Volunteering"],
          "Try short volunteering roles with local charities and build experience for your CV.",
          ["volunteering", "skills-learning"], ["16-25"], "daytime", cost="free",
          join=["self-referral", "professional-referral"], contact="Careers coach"),
    ])

MOSQUE = dict(
    key="mosque", lead="Designated Safeguarding Lead", legal=["charity"],
    pdesc="A mosque and community centre in {town} with activities for children and young people. Everyone is "
          "welcome, whatever their faith.",
    providers=[("hull", "Hull Crescent Community Centre", "HU5", None),
               ("newham", "Manor Park Islamic Youth Circle", "E12", None),
               ("newham", "Plaistow Ummah Youth Project", "E13", None)],
    kmin=3, langs=["Urdu", "Arabic", "Bengali", "Somali", "Kurdish"],
    acts=[
        T("youth-circle", ["Mosque Youth Circle", "Brothers' Youth Circle"],
          "A weekly circle for teenage boys: a short talk, a discussion and then five-a-side or table tennis.",
          ["faith-culture", "youth-club"], ["12-18"], "evening", gender="boys", cost="free", join=["drop-in"],
          contact="Youth leader"),
        T("sisters-circle", ["Sisters' Youth Circle", "Girls' Youth Circle"],
          "A friendly space for teenage girls to learn, talk, do crafts and support each other.",
          ["faith-culture", "peer-support"], ["12-18", "11-16"], "weekend", gender="girls", cost="free",
          join=["drop-in"], contact="Youth leader"),
        T("quran-arabic", ["Quran and Arabic Club", "Arabic for Beginners"],
          "Learn to read Arabic step by step with patient teachers, in small classes.",
          ["faith-culture", "skills-learning"], ["6-14"], "after-school", cost=("paid", 100, 300),
          concession=0.8, join=["self-referral"], contact="Teacher"),
        T("iftar", ["Ramadan Family Iftar", "Community Iftar for Families"],
          "Break the fast together with a free meal for families during Ramadan. Neighbours of every faith are "
          "welcome.", ["faith-culture", "family"], ["0-18"], "event",
          dates=[("2027-02-20", "17:15", "19:30"), ("2027-02-27", "17:30", "19:45"), ("2027-03-06", "17:45", "20:00")],
          cost="free", join=["drop-in"], contact="Youth leader"),
        T("eid", ["Eid Fun Day"],
          "Bouncy castle, henna, face painting and food to celebrate Eid with the whole community.",
          ["faith-culture", "family"], ["0-16"], "event", dates=[("2027-03-13", "11:00", "16:00")], cost="free",
          join=["drop-in"], contact="Youth leader"),
    ])

CHURCH = dict(
    key="church", lead="Parish Safeguarding Officer", legal=["charity"],
    pdesc="A church in {town} that runs friendly groups for children, young people and families. You don't "
          "need to be religious to come along.",
    providers=[("hull", "Sutton Park Methodist Youth", "HU8", None),
               ("newham", "Wellspring Church Forest Gate", "E7", None),
               ("cornwall", "Cornerstone Church Redruth", "TR15", None),
               ("cornwall", "Trelander Community Church", "TR1", None)],
    acts=[
        T("youth-cafe", ["Friday Youth Cafe", "Youth Cafe"],
          "Toasties, hot chocolate, pool and a comfy sofa. A friendly place to hang out on a Friday.",
          ["youth-club", "faith-culture"], ["11-16"], "fri-evening", cost="either", join=["drop-in"],
          contact="Youth leader"),
        T("toddler", ["Toddler Group", "Tots and Toast"],
          "Toys, songs, a craft and toast for the little ones, and a hot drink for the grown-ups.",
          ["family"], ["0-4"], "baby", cost=("paid", 100, 200), join=["drop-in"], contact="Group leader"),
        T("crafty-church", ["Crafty Church for Families", "Family Craft and Tea"],
          "Crafts, a story, a song and tea together, once a month. All ages and all families welcome.",
          ["family", "arts-crafts", "faith-culture"], ["0-11"], "monthly-sun", cost="free", join=["drop-in"],
          contact="Group leader"),
        T("holiday-lunch", ["Holiday Lunch Club", "Holiday Lunch and Games"],
          "Free lunch and games in the school holidays. Just turn up - parents and carers are welcome to eat "
          "too.", ["holiday-food", "family"], ["5-11", "4-12"], "holiday", cost="free", join=["drop-in"],
          contact="Group leader"),
    ])

HERITAGE = dict(
    key="heritage", lead="Designated Safeguarding Lead", legal=["none", "charity"],
    pdesc="A community group in {town} keeping language, music and traditions alive for children and young "
          "people.",
    providers=[("newham", "Lotus Arts Bharatanatyam School", "E6", ["bharatanatyam", "bollywood", "holi"]),
               ("newham", "Newham Bengali Heritage Club", "E12", ["bengali-school", "bangla-music", "mother-language"]),
               ("hull", "White Crane Polish Saturday School", "HU3", ["polish-school", "polish-tots", "polish-dance"]),
               ("newham", "Dacia Romanian Community Club", "E7", ["romanian-dance", "romanian-school", "martisor"]),
               ("hull", "Newroz Kurdish Youth Club", "HU3", ["kurdish-youth", "govend", "newroz"]),
               ("newham", "Hiddo Somali Youth Association", "E13", ["somali-homework", "somali-girls", "somali-football"]),
               ("cornwall", "Tavas Bew Cornish Language Club", "TR1", ["cornish-online", "cornish-storytime", "st-piran"]),
               ("cornwall", "Nos Lowen Young Dancers", "TR18", ["cornish-dance", "troyl-band", "st-piran-parade"])],
    acts=[
        T("bharatanatyam", ["Bharatanatyam Dance Classes"],
          "Learn classical Indian dance: footwork, hand gestures and storytelling through movement.",
          ["dance-drama", "faith-culture"], ["6-16"], "sat", cost=("paid", 400, 600), join=["booking"],
          contact="Dance teacher", langs=["Tamil"]),
        T("bollywood", ["Bollywood Dance for Kids"],
          "High-energy Bollywood routines to the latest film songs. Everyone welcome.", ["dance-drama"],
          ["7-14"], "after-school", cost=("paid", 300, 500), join=["drop-in"], contact="Dance teacher"),
        T("holi", ["Holi Colours Workshop"],
          "Celebrate the festival of colours with music, dance, stories and sweets. Wear old clothes!",
          ["faith-culture", "family", "arts-crafts"], ["3-16"], "event", dates=[("2027-03-20", "11:00", "14:00")],
          cost="free", join=["drop-in"], contact="Dance teacher"),
        T("bengali-school", ["Bengali Language Saturday School"],
          "Learn to read, write and speak Bengali, with songs, poems and stories from Bangladesh.",
          ["faith-culture", "skills-learning"], ["5-14"], "sat", cost=("paid", 200, 400), concession=0.8,
          join=["self-referral"], contact="Teacher", langs=["Bengali"]),
        T("bangla-music", ["Bangla Folk Music Group"],
          "Sing and play traditional Bengali folk songs on harmonium and tabla.", ["music", "faith-culture"],
          ["10-18"], "sun", cost="free", join=["drop-in"], contact="Music teacher", langs=["Bengali"]),
        T("mother-language", ["Mother Language Day Poetry Afternoon"],
          "Read a poem in your home language - any language! - on International Mother Language Day.",
          ["faith-culture", "arts-crafts"], ["7-18"], "event", dates=[("2027-02-21", "14:00", "16:30")],
          cost="free", join=["drop-in"], contact="Teacher", langs=["Bengali"]),
        T("polish-school", ["Polish Language Saturday School"],
          "Polish language, history and culture for children growing up in Hull, taught by qualified teachers.",
          ["faith-culture", "skills-learning"], ["5-16"], "sat", cost=("paid", 300, 500), concession=0.9,
          join=["booking"], contact="Head teacher", langs=["Polish"], term="term-time"),
        T("polish-tots", ["Polish Mums and Tots", "Polish Parent and Toddler Group"],
          "Songs, rhymes and play in Polish for babies and toddlers with their parents.",
          ["family", "faith-culture"], ["0-4"], "baby", cost="free", join=["drop-in"], contact="Group leader",
          langs=["Polish"]),
        T("polish-dance", ["Polish Folk Dance Group"],
          "Learn lively Polish folk dances and perform in beautiful costumes at local festivals.",
          ["dance-drama", "faith-culture"], ["7-16"], "sun", cost=("paid", 100, 300), join=["drop-in"],
          contact="Dance leader", langs=["Polish"]),
        T("romanian-dance", ["Romanian Dance Group", "Romanian Folk Dance for Young People"],
          "Traditional Romanian dances, music and costumes. Come and learn the hora!",
          ["dance-drama", "faith-culture"], ["6-18"], "sun", cost="free", join=["drop-in"], contact="Dance leader",
          langs=["Romanian"]),
        T("romanian-school", ["Romanian Saturday School"],
          "Romanian reading, writing and culture for children who speak Romanian at home.",
          ["faith-culture", "skills-learning"], ["5-14"], "sat", cost=("paid", 200, 300), join=["self-referral"],
          contact="Teacher", langs=["Romanian"], term="term-time"),
        T("martisor", ["Martisor Spring Craft Day"],
          "Make red-and-white Martisor charms to welcome spring, a Romanian and Moldovan tradition.",
          ["arts-crafts", "faith-culture", "family"], ["4-14"], "event", dates=[("2027-02-27", "11:00", "14:00")],
          cost="free", join=["drop-in"], contact="Teacher", langs=["Romanian"]),
        T("kurdish-youth", ["Kurdish Youth Club"],
          "A youth club for Kurdish young people and friends: games, football, homework help and tea.",
          ["youth-club", "faith-culture"], ["11-18"], "evening", cost="free", join=["drop-in"],
          contact="Youth worker", langs=["Kurdish", "Arabic"]),
        T("govend", ["Kurdish Dance (Govend) Group"],
          "Join hands and learn govend, the Kurdish circle dance, with live music.",
          ["dance-drama", "faith-culture"], ["8-18"], "sun", cost="free", join=["drop-in"],
          contact="Dance leader", langs=["Kurdish"]),
        T("newroz", ["Newroz Celebration for Families"],
          "Celebrate Newroz, the Kurdish new year, with music, dancing, food and a family picnic.",
          ["faith-culture", "family"], ["0-18"], "event", dates=[("2027-03-20", "12:00", "17:00")], cost="free",
          join=["drop-in"], contact="Youth worker", langs=["Kurdish"]),
        T("somali-homework", ["Somali Youth Homework Club"],
          "Homework help, mentoring and a snack, with tutors who speak Somali and English.",
          ["skills-learning", "faith-culture"], ["9-16"], "after-school", cost="free", join=["drop-in"],
          contact="Tutor", langs=["Somali"]),
        T("somali-girls", ["Somali Girls' Group"],
          "A girls' group for chatting, cooking, sport and trips, led by young Somali women.",
          ["youth-club", "peer-support", "faith-culture"], ["11-17"], "sat", gender="girls", cost="free",
          join=["self-referral"], contact="Youth worker", langs=["Somali"]),
        T("somali-football", ["Somali Boys' Football"],
          "Friendly football training and matches for boys, with mentoring from older players.",
          ["sport", "faith-culture"], ["10-16"], "sun", gender="boys", cost="free", join=["drop-in"],
          contact="Coach", langs=["Somali"]),
        T("cornish-online", ["Cornish for Beginners (online)"],
          "Learn to speak Kernewek, the Cornish language, in a fun online class. Dydh da!",
          ["faith-culture", "skills-learning"], ["8-18"], "online-evening", online=True, cost="free",
          join=["booking"], contact="Tutor", langs=["Cornish"], req=True),
        T("cornish-storytime", ["Cornish Storytime for Little Ones"],
          "Stories, songs and rhymes in Cornish and English for babies and toddlers.",
          ["faith-culture", "family"], ["0-5"], "baby", cost="free", join=["drop-in"], contact="Storyteller",
          langs=["Cornish"]),
        T("st-piran", ["St Piran's Day Flag Workshop"],
          "Make your own black-and-white St Piran's flag and learn the story of Cornwall's patron saint.",
          ["faith-culture", "arts-crafts"], ["5-12"], "event", dates=[("2027-03-05", "15:45", "17:30")],
          cost="free", join=["drop-in"], contact="Tutor", langs=["Cornish"]),
        T("cornish-dance", ["Cornish Dance for Kids"],
          "Learn Cornish folk dances for troyls and feast days. Lots of spinning and stamping!",
          ["dance-drama", "faith-culture"], ["6-14"], "after-school", cost=("paid", 100, 200), join=["drop-in"],
          contact="Dance leader"),
        T("troyl-band", ["Young Troyl Band"],
          "Play Cornish tunes on fiddle, whistle, accordion or drum in a band for young musicians.",
          ["music", "faith-culture"], ["10-18"], "evening-early", cost="free", join=["self-referral"],
          contact="Band leader"),
        T("st-piran-parade", ["St Piran's Day Parade Practice"],
          "Learn the dances for the St Piran's Day parade and march through town with us.",
          ["dance-drama", "faith-culture", "family"], ["5-16"], "event",
          dates=[("2027-02-27", "10:00", "12:00"), ("2027-03-06", "10:00", "13:00")], n_dates=2, cost="free",
          join=["drop-in"], contact="Dance leader"),
    ])

BABY = dict(
    key="baby", lead="Designated Safeguarding Lead", legal=["cic", "charity", "none"],
    pdesc="Friendly groups in {town} for babies, toddlers and their grown-ups. Come for the play, stay for the "
          "cuppa and the chat.",
    providers=[("hull", "Bransholme Bumps and Babies", "HU7", None),
               ("hull", "Avenues Little Movers", "HU5", None),
               ("newham", "Little Lanterns Family Hub", "E6", None),
               ("newham", "Plaistow Playbox", "E13", None),
               ("cornwall", "Clay Country Cubs", "PL25", None),
               ("cornwall", "Seaside Tots Falmouth", "TR11", None),
               ("cornwall", "Newquay Little Waves", "TR7", None)],
    acts=[
        T("baby-sensory", ["Baby Sensory", "Baby Sensory Play"],
          "Lights, bubbles, textures and music to help your baby explore the world. A calm, happy hour for you "
          "both.", ["family"], ["0m-12m", "0m-13m"], "baby", cost=("paid", 300, 500), join=["booking"],
          contact="Group leader", quiet=0.5),
        T("stay-play", ["Toddler Stay and Play", "Stay and Play"],
          "Toys, a craft table, songs at the end and a chance to meet other parents and carers.", ["family"],
          ["6m-4", "0-4"], "baby", cost="either", join=["drop-in"], contact="Group leader"),
        T("dads", ["Dads' Saturday Playtime", "Dads and Kids Club"],
          "A Saturday play session for dads, granddads and male carers with their little ones. Bacon butties "
          "included.", ["family"], ["0-5"], "sat", cost="either", join=["drop-in"], contact="Group leader"),
        T("bumps-babies", ["Bumps and Babies Cafe", "New Parents' Coffee Morning"],
          "For parents-to-be and parents of new babies. A friendly chat, a cuppa and a health visitor once a "
          "month.", ["family", "peer-support"], ["0m-18m", "0m-12m"], "baby", cost="free", join=["drop-in"],
          contact="Group leader"),
        T("rhyme-time", ["Rhyme Time", "Songs and Rhymes for Little Ones"],
          "Nursery rhymes, action songs and shakers for babies and toddlers.", ["music", "family"],
          ["0-4", "6m-4"], "baby", cost="either", join=["drop-in"], contact="Group leader"),
        T("baby-massage", ["Baby Massage Course", "Baby Massage (5 weeks)"],
          "Learn gentle massage to soothe and bond with your baby. Five weekly sessions.", ["family", "wellbeing"],
          ["0m-9m", "1m-9m"], "baby", cost=("paid", 400, 700), concession=0.6, join=["booking"],
          contact="Instructor", course=True),
    ])

HAF = dict(
    key="haf", lead="Designated Safeguarding Lead", legal=["charity", "cic"],
    pdesc="We run free holiday clubs in {town} with a hot meal every day, so that no child goes hungry in the "
          "school holidays.",
    providers=[("hull", "Full Bellies Holiday Club", "HU9", None),
               ("newham", "Newham Lunch and Play", "E16", None),
               ("cornwall", "Kernow Holiday Kitchen", "TR14", None),
               ("cornwall", "St Austell Feast and Play", "PL25", None)],
    kmin=3,
    acts=[
        T("haf", ["Holiday Club with Free Lunch (HAF)", "HAF Holiday Club (5-11)"],
          "Sport, crafts, games and a hot lunch every day of the holiday club. Free for children who get "
          "benefits-related free school meals.", ["holiday-food", "sport", "arts-crafts"], ["5-11"], "holiday",
          cost="free", join=["booking"], contact="Club lead", req=True,
          notes="Tell us about allergies and dietary needs when you book. Halal and vegetarian options every day."),
        T("teen-kitchen", ["Teen Holiday Kitchen", "Cook and Eat for Teens"],
          "Learn to cook easy, cheap meals and then eat what you made with your friends.",
          ["holiday-food", "skills-learning"], ["11-16"], "holiday", cost="free", join=["booking"],
          contact="Club lead"),
        T("xmas-days", ["Christmas Holiday Fun Days", "Winter Holiday Fun Days"],
          "Festive fun days over the Christmas holidays, with a hot lunch, games and crafts.",
          ["holiday-food", "family"], ["5-13"], "event", dates=XMAS_DAYS, cost="free", join=["booking"],
          contact="Club lead"),
        T("feb-camp", ["February Half-term Sports Camp", "Half-term Multi-sports and Lunch"],
          "Football, dodgeball, dance and a hot lunch over the February half-term.",
          ["holiday-food", "sport"], ["7-14"], "event", dates=FEB_HALF_TERM, cost="free", join=["booking"],
          contact="Club lead"),
        T("family-food", ["Family Food Club", "Cook Together Family Sessions"],
          "Families cook a healthy meal together, then sit down and eat it. Take home a bag of ingredients.",
          ["family", "holiday-food", "skills-learning"], ["0-11"], "holiday", cost="free", join=["booking"],
          contact="Club lead"),
    ])

SEND_SPORT = dict(
    key="send-sport", lead="Designated Safeguarding Lead", legal=["charity"],
    pdesc="An inclusive sports charity in {town}. We make sport work for disabled children and young people, "
          "and for anyone who finds mainstream clubs hard.",
    providers=[("hull", "Humber All-Ability Sports", "HU6", None),
               ("newham", "Play Together Newham", "E6", None),
               ("cornwall", "Kernow Able Adventurers", "TR1", None)],
    acts=[
        T("wheelchair-basketball", ["Wheelchair Basketball Juniors"],
          "Fast, exciting wheelchair basketball. You don't need to be a wheelchair user - sports chairs are "
          "provided.", ["sport", "send-inclusive"], ["8-18"], "sat", cost="either", send=1.0, wheel=1.0,
          join=["drop-in", "self-referral"], contact="Coach"),
        T("boccia", ["Boccia Club", "Boccia and Games Night"],
          "Boccia is a bit like bowls and anyone can play. Friendly matches, music and snacks.",
          ["sport", "send-inclusive"], ["10-25"], "evening-early", cost="free", send=1.0, wheel=1.0,
          join=["drop-in"], contact="Coach"),
        T("inclusive-climbing", ["Inclusive Climbing", "Adaptive Climbing Sessions"],
          "Climbing with adapted harnesses, extra helpers and as much time as you need.",
          ["outdoors", "send-inclusive", "sport"], ["8-18"], "weekend", cost=("paid", 300, 500), bursary=1.0,
          send=1.0, quiet=0.6, join=["booking"], contact="Instructor"),
        T("send-multi", ["SEND Multi-sports", "All-Ability Multi-sports"],
          "A different sport every week in a calm sports hall, with small groups and lots of encouragement.",
          ["sport", "send-inclusive"], ["5-11"], "after-school", cost="either", send=1.0, quiet=0.6,
          join=["self-referral"], contact="Coach"),
        T("holiday", ["Inclusive Holiday Sports Club"],
          "Holiday sports and games for disabled and non-disabled children together, with lunch included.",
          ["send-inclusive", "holiday-food", "sport"], ["5-16"], "holiday", cost="free", send=1.0,
          join=["booking"], contact="Coach"),
    ])

VOLUNTEERING = dict(
    key="volunteering", lead="Designated Safeguarding Lead", legal=["charity"],
    pdesc="Helping young people in {area} give time to good causes, learn new skills and get their voice "
          "heard.",
    providers=[("hull", "Humber Youth Volunteers", "HU1", None),
               ("newham", "Newham Young Changemakers", "E15", None),
               ("cornwall", "Kernow Youth Action", "TR1", None)],
    kmin=3,
    acts=[
        T("team", ["Youth Volunteer Team", "Young Volunteers' Squad"],
          "Join a team of young volunteers helping at local events, parks and charities. Great for your CV "
          "and for DofE.", ["volunteering"], ["14-19"], "sat", cost="free", join=["self-referral"],
          contact="Volunteer coordinator"),
        T("youth-council", ["Youth Council", "Young People's Forum"],
          "Have your say on what happens in your area. Meet councillors, run campaigns and make change happen.",
          ["volunteering", "skills-learning"], ["11-18"], "evening", cost="free", join=["self-referral"],
          contact="Youth participation worker"),
        T("befriending", ["Befriending Older Neighbours", "Tea and Tech with Older Neighbours"],
          "Spend time with older people at a local care home: play games, chat and help them use their phones "
          "and tablets.", ["volunteering"], ["14-19"], "after-school", cost="free", join=["self-referral"],
          contact="Volunteer coordinator"),
        T("food-bank", ["Food Bank Helpers (16-25)", "Young Food Bank Volunteers"],
          "Sort donations and help pack food parcels for families in your area.", ["volunteering"], ["16-25"],
          "weekend", cost="free", join=["self-referral"], contact="Volunteer coordinator"),
        T("litter-pick", ["Community Litter Pick", "Clean Streets Crew"],
          "Once a month we clean up a street or park together. Bring the family!",
          ["volunteering", "outdoors", "family"], ["5-16"], "monthly-sat", cost="free", join=["drop-in"],
          contact="Volunteer coordinator"),
    ])

SKATE = dict(
    key="skate", lead="Welfare Lead", legal=["cic"],
    pdesc="A skate club in {town} run by skaters. We teach skateboarding, scooters and BMX safely, and help look "
          "after the local skatepark.",
    providers=[("hull", "Humber Skate Collective", "HU9", None),
               ("newham", "Royal Docks Rollers", "E16", None),
               ("cornwall", "Newquay Ramp Rats Skate Club", "TR7", None)],
    acts=[
        T("beginners", ["Skateboarding for Beginners", "Learn to Skate"],
          "Learn to push, turn and drop in with patient coaches. Boards, helmets and pads provided.",
          ["sport", "outdoors"], ["7-14"], "sat", cost=("paid", 300, 500), join=["booking"], contact="Coach"),
        T("girls-skate", ["Girls' Skate Night", "Girls and Non-binary Skate Session"],
          "The skatepark is all yours. A relaxed session for girls with female coaches and good music.",
          ["sport", "outdoors"], ["10-18"], "evening-early", gender="girls", cost="either", join=["drop-in"],
          contact="Coach"),
        T("bmx", ["BMX and Scooter Sundays", "Scooter Jam"],
          "Bring your bike or scooter and learn new tricks. Helmets are a must.", ["sport", "outdoors"],
          ["8-16"], "sun", cost="either", join=["drop-in"], contact="Coach"),
    ])

MARTIAL = dict(
    key="martial", lead="Club Welfare Officer", legal=["none", "company"],
    pdesc="A martial arts club in {town} teaching respect, self-control and self-defence, with classes for all "
          "ages.",
    providers=[("hull", "Humber Tigers Taekwondo", "HU8", None),
               ("newham", "Stratford Kicks Karate", "E15", None),
               ("cornwall", "Penzance Dragon Judo Club", "TR18", None)],
    acts=[
        T("juniors", ["Junior Martial Arts", "Juniors Class"],
          "Learn kicks, blocks and forms, and work towards your next belt. First session free.", ["sport"],
          ["6-12"], "after-school", cost=("paid", 300, 500), join=["drop-in", "booking"], contact="Instructor"),
        T("kickboxing", ["Kickboxing for Teens", "Teen Kickboxing"],
          "A high-energy class for teenagers: pads, fitness and technique. No contact until you're ready.",
          ["sport"], ["12-17"], "evening", cost=("paid", 300, 400), join=["drop-in"], contact="Instructor"),
        T("little-ninjas", ["Little Ninjas", "Tiny Tigers"],
          "Listening, balance and lots of fun for four to seven-year-olds.", ["sport"], ["4-7"], "sat",
          cost=("paid", 300, 400), join=["booking"], contact="Instructor"),
        T("girls-self-defence", ["Girls' Self-defence Class", "Confidence and Self-defence for Girls"],
          "Learn simple ways to stay safe and feel confident. Taught by a female instructor.", ["sport", "wellbeing"],
          ["12-17"], "evening-early", gender="girls", cost="either", join=["booking"], contact="Instructor"),
    ])

GYM = dict(
    key="gym", lead="Club Welfare Officer", legal=["company", "none"],
    pdesc="A gymnastics and cheer club in {town} with classes for toddlers right up to teenage squads.",
    providers=[("hull", "Holderness Flyers Gymnastics", "HU8", None),
               ("newham", "Docklands Cheer Stars", "E16", None)],
    kmin=3,
    acts=[
        T("rec-gym", ["Recreational Gymnastics", "Gym Fun"],
          "Rolls, jumps, balances and the trampoline. Work towards badges at your own pace.", ["sport"],
          ["5-11"], "after-school", cost=("paid", 400, 600), join=["booking"], contact="Coach"),
        T("cheer", ["Cheerleading Squad", "Cheer and Stunt Club"],
          "Jumps, stunts, dance and lots of team spirit. We compete in friendly competitions.",
          ["sport", "dance-drama"], ["9-16"], "evening-early", gender="girls", cost=("paid", 300, 500),
          join=["booking"], contact="Coach"),
        T("toddler-tumble", ["Toddler Tumble", "Little Rollers Gym"],
          "Soft play equipment, songs and tumbling for toddlers and their grown-ups.", ["sport", "family"],
          ["18m-4"], "baby", cost=("paid", 300, 400), join=["booking"], contact="Coach"),
        T("freerunning", ["Boys' Freerunning", "Freerunning for Boys"],
          "Vaults, rolls and flips on soft mats with qualified coaches. Learn to move safely and creatively.",
          ["sport"], ["9-15"], "evening", gender="boys", cost=("paid", 300, 400), join=["booking"], contact="Coach"),
    ])

BASKETBALL = dict(
    key="basketball", lead="Club Welfare Officer", legal=["none", "cic"],
    pdesc="A community basketball club in {town}. We use basketball to bring young people together and keep "
          "them active.",
    providers=[("hull", "Hull Hoops Academy", "HU4", None),
               ("newham", "Beckton Ballers Basketball", "E6", None)],
    kmin=3,
    acts=[
        T("friday-ball", ["Friday Night Basketball", "Late Night Hoops"],
          "Free basketball on Friday nights with coaches, music and a drink and a snack.",
          ["sport", "youth-club"], ["13-19"], "fri-evening", cost="free", join=["drop-in"], contact="Coach"),
        T("girls-ball", ["Girls' Basketball", "Hoops for Girls"],
          "Basketball just for girls: skills, games and a team that has your back.", ["sport"], ["11-17"],
          "evening", gender="girls", cost="either", join=["drop-in"], contact="Coach"),
        T("juniors", ["Junior Basketball Skills"],
          "Dribbling, passing and shooting for younger players, with mini games every week.", ["sport"],
          ["8-12"], "sat", cost=("paid", 200, 300), join=["drop-in"], contact="Coach"),
    ])

RUGBY = dict(
    key="rugby", lead="Club Welfare Officer", legal=["none"],
    pdesc="A community rugby club in {town} with mini and junior teams. Come and try it - you might love it.",
    providers=[("hull", "Marfleet Mariners ARLFC", "HU9", None),
               ("cornwall", "Trevithick Juniors RFC", "TR14", None)],
    kmin=3,
    acts=[
        T("tag-girls", ["Tag Rugby for Girls", "Girls' Touch Rugby"],
          "No tackling, just fast and fun rugby for girls. Great for beginners.", ["sport"], ["9-14"],
          "evening-early", gender="girls", cost="either", join=["drop-in"], contact="Coach"),
        T("u12", ["Under-12s Rugby", "Junior Rugby Training"],
          "Training and friendly matches for our junior teams. Boots and gum shield needed after your first "
          "few weeks.", ["sport"], ["9-12"], "evening-early", cost=("paid", 200, 300), join=["drop-in"],
          contact="Coach", season=True),
        T("mini", ["Mini Rugby", "Mini Tag Rugby"], "Running, passing and tag games for little rugby players.",
          ["sport", "family"], ["5-8"], "sun", cost=("paid", 200, 300), join=["drop-in"], contact="Coach",
          season=True),
        T("boys-u16", ["Under-16s Boys' Rugby"],
          "Training for our under-16s boys' team. New players welcome, even if you've never played.", ["sport"],
          ["14-16"], "evening", gender="boys", cost=("paid", 200, 300), join=["drop-in"], contact="Coach",
          season=True),
    ])

LIBRARY = dict(
    key="library", lead="Volunteer Coordinator", legal=["none"],
    pdesc="A volunteer group that runs free activities at the local library in {town} to get children reading, "
          "making and having fun.",
    providers=[("hull", "Friends of Avenues Library", "HU5", [("Avenues Library Room", "Chanterlands Avenue")]),
               ("newham", "Friends of Manor Park Library", "E12", None),
               ("cornwall", "Friends of Camborne Library", "TR14", None)],
    acts=[
        T("lego", ["Lego Club", "Brick Builders Club"],
          "Build something amazing from our giant box of bricks. A new challenge every week.",
          ["arts-crafts", "skills-learning"], ["5-11"], "sat", cost="either", join=["drop-in"], contact="Volunteer"),
        T("story", ["Story and Rhyme Time", "Storytime for Under-5s"],
          "Stories, songs and rhymes for babies, toddlers and their grown-ups.", ["family", "skills-learning"],
          ["0-4"], "baby", cost="free", join=["drop-in"], contact="Volunteer"),
        T("teen-book", ["Teen Book Club", "Graphic Novel Club"],
          "Read, chat, argue about the ending and choose next month's book. Snacks provided.",
          ["skills-learning", "youth-club"], ["12-16"], "after-school", cost="free", join=["drop-in"],
          contact="Volunteer"),
        T("world-book-day", ["World Book Day Dress-up Party"],
          "Come dressed as your favourite book character for stories, games and a parade.",
          ["skills-learning", "family"], ["4-11"], "event", dates=[("2027-03-04", "15:45", "17:15")], cost="free",
          join=["drop-in"], contact="Volunteer"),
    ])

CYCLING = dict(
    key="cycling", lead="Designated Safeguarding Lead", legal=["cic"],
    pdesc="A cycling project in {town} helping children and families ride more, with free bike loans and repair "
          "sessions.",
    providers=[("hull", "Humber Pedal Power CIC", "HU5", None),
               ("cornwall", "Fal Pedallers", "TR11", None)],
    kmin=3,
    acts=[
        T("learn-ride", ["Learn to Ride", "Balance Bike to Pedals"],
          "Learn to ride a bike without stabilisers in a safe, traffic-free space. Bikes and helmets provided.",
          ["sport", "outdoors", "family"], ["3-8"], "sat", cost="either", join=["booking"], contact="Instructor"),
        T("bike-fix", ["Bike Fix Club", "Bike Repair Workshop"],
          "Learn to fix punctures, adjust brakes and look after your bike. Fix up a donated bike to keep!",
          ["skills-learning"], ["11-18"], "after-school", cost="either", join=["drop-in"], contact="Mechanic"),
        T("family-ride", ["Family Bike Ride", "Sunday Family Cycle"],
          "A slow, friendly ride on quiet paths, finishing with a picnic stop. All ages and abilities.",
          ["family", "outdoors"], ["5-16"], "monthly-sun", cost="free", join=["drop-in"], contact="Ride leader"),
    ])

YOUNG_PARENTS = dict(
    key="young-parents", lead="Family Support Lead", legal=["charity"],
    pdesc="Support for young parents aged 16 to 25 in {town}, from pregnancy onwards. Friendly, practical and "
          "never judgemental.",
    providers=[("hull", "Humber Young Parents Project", "HU7", None),
               ("newham", "Newham Young Parents Network", "E13", None)],
    kmin=3,
    acts=[
        T("young-mums", ["Young Mums' Group", "Young Mums and Babies"],
          "Meet other young mums, bring your baby and get support with anything from sleep to money.",
          ["family", "peer-support"], ["16-25"], "baby", gender="girls", cost="free",
          join=["self-referral", "professional-referral"], contact="Family worker"),
        T("young-dads", ["Young Dads' Club", "Young Dads and Kids"],
          "A Saturday club for young dads and their children: play, food and other dads to talk to.",
          ["family", "peer-support"], ["16-25"], "sat", gender="boys", cost="free", join=["self-referral"],
          contact="Family worker"),
        T("cooking-budget", ["Cooking on a Budget for Young Parents"],
          "Cook healthy meals for your family for less. Free creche while you cook.",
          ["skills-learning", "family"], ["16-25"], "daytime", cost="free", join=["booking"],
          contact="Family worker"),
    ])

CARE_FARM = dict(
    key="care-farm", lead="Farm Manager (Safeguarding Lead)", legal=["cic"],
    pdesc="A working farm near {town} where young people help with animals and growing, at their own pace.",
    providers=[("cornwall", "Trelawny Care Farm", "PL25", [("Trelawny Farm Barn", "Bodmin Road")])],
    kmin=3,
    acts=[
        T("farm-club", ["Farm Club for Young People", "Care Farm Days"],
          "Feed the animals, muck out, grow vegetables and learn practical skills. Good for young people who "
          "find school hard.", ["outdoors", "wellbeing", "send-inclusive"], ["11-18"], "after-school",
          cost="free", send=1.0, quiet=0.8, join=["professional-referral"], contact="Farm worker"),
        T("pony", ["Pony Care Saturdays"],
          "Groom, feed and lead our ponies, and learn how to look after them properly.", ["outdoors"], ["8-14"],
          "sat", cost=("paid", 600, 800), bursary=0.6, join=["booking"], contact="Farm worker"),
        T("lambing", ["Lambing Open Day"],
          "Meet the new lambs, bottle-feed a few and enjoy a farm picnic.", ["family", "outdoors"], ["0-16"],
          "event", dates=[("2027-03-27", "10:00", "15:00")], cost=("paid", 200, 300), join=["drop-in"],
          contact="Farm worker"),
    ])

CHESS = dict(
    key="chess", lead="Club Welfare Officer", legal=["none"],
    pdesc="A chess and board games club in {town} where young people can learn, play and make friends.",
    providers=[("hull", "Humber Knights Chess Club", "HU2", None),
               ("newham", "Stratford Rooks Chess Club", "E15", None)],
    kmin=3,
    acts=[
        T("junior-chess", ["Junior Chess Club", "Chess for Beginners"],
          "Learn how the pieces move, then play friendly games and puzzles with coaches.", ["skills-learning"],
          ["7-14"], "after-school", cost="either", join=["drop-in"], contact="Coach"),
        T("board-games", ["Board Games Cafe", "Games Night for Teens"],
          "Hundreds of board games, free squash and biscuits, and people to play with.",
          ["youth-club", "skills-learning"], ["12-18"], "evening", cost="either", join=["drop-in"], contact="Host"),
        T("tournament", ["Winter Junior Chess Tournament"],
          "A friendly one-day tournament with sections for beginners and club players. Medals for all.",
          ["skills-learning"], ["7-16"], "event", dates=[("2027-01-23", "10:00", "16:00")],
          cost=("paid", 300, 500), join=["booking"], contact="Coach"),
    ])

ARCHETYPES = [FOOTBALL, NETBALL, BOXING, SWIM, CRICKET, SURF, SAILING, DANCE, THEATRE, MUSIC, CHOIR, ARTS,
              YOUTH_CLUB, WELLBEING, SEND_FAMILIES, LGBTQ, YOUNG_CARERS, ADVENTURE, GARDEN, CODING, HOMEWORK,
              CAREERS, MOSQUE, CHURCH, HERITAGE, BABY, HAF, SEND_SPORT, VOLUNTEERING, SKATE, MARTIAL, GYM,
              BASKETBALL, RUGBY, LIBRARY, CYCLING, YOUNG_PARENTS, CARE_FARM, CHESS]

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def slugify(s: str) -> str:
    s = s.lower().replace("'", "").replace("&", "and")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:80].rstrip("-")


def d(s: str) -> date:
    return date.fromisoformat(s)


def rand_date(lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def long_date(x: date) -> str:
    return f"{DAYS[x.weekday()].capitalize()} {x.day} {MONTHS[x.month - 1]} {x.year}"


def month_year(x: date) -> str:
    return f"{MONTHS[x.month - 1]} {x.year}"


def offset(lat: float, lon: float, km: float, bearing_deg: float) -> tuple[float, float]:
    b = math.radians(bearing_deg)
    dlat = km * math.cos(b) / 111.32
    dlon = km * math.sin(b) / (111.32 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def haversine_km(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters used in inward codes
_used_phones: set[str] = set()


def phone(kind: str) -> str:
    """A number from Ofcom's drama ranges."""
    while True:
        n = rng.randint(0, 999)
        p = {"london": f"020 7946 0{n:03d}", "geo": f"01632 960{n:03d}", "mobile": f"07700 900{n:03d}"}[kind]
        if p not in _used_phones:
            _used_phones.add(p)
            return p


_venues: dict[tuple[str, str], dict] = {}


def venue(district: str, name: str, street: str) -> dict:
    key = (district, name)
    if key in _venues:
        return _venues[key]
    area, town, lat, lon, max_km, (b0, b1) = DISTRICTS[district]
    km = rng.uniform(0.15, max_km)
    vlat, vlon = offset(lat, lon, km, rng.uniform(b0, b1) % 360)
    if rng.random() < 0.75:
        pc = f"{district} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    else:
        pc = district
    place = town if area != "newham" else f"{town}, London"
    address = f"{street}, {place}"
    if area == "cornwall" and town not in street:
        address = f"{street}, {town}"
    v = {"name": name, "address": address, "postcode": pc, "lat": vlat, "lon": vlon}
    _venues[key] = v
    return v


def nearby_district(district: str) -> str:
    area = DISTRICTS[district][0]
    same = [k for k, v in DISTRICTS.items() if v[0] == area and k != district]
    here = DISTRICTS[district]
    same.sort(key=lambda k: haversine_km((here[2], here[3]), (DISTRICTS[k][2], DISTRICTS[k][3])))
    return rng.choice(same[:2])


# ---------------------------------------------------------------------------------------------
# Schedules
# ---------------------------------------------------------------------------------------------

SLOTS = {
    "after-school": [("15:30", "17:00"), ("15:30", "17:30"), ("15:45", "17:15"), ("16:00", "17:30"),
                     ("16:00", "18:00"), ("16:30", "18:00")],
    "evening": [("18:00", "20:00"), ("19:00", "21:00"), ("17:30", "19:00"), ("18:30", "20:30"),
                ("18:00", "19:30"), ("19:00", "20:30")],
    "evening-early": [("17:30", "19:00"), ("17:00", "18:30"), ("18:00", "19:30")],
    "fri-evening": [("19:00", "21:00"), ("18:30", "21:30"), ("19:00", "22:00")],
    "weekend": [("09:00", "10:30"), ("10:00", "11:30"), ("10:00", "12:00"), ("09:30", "11:00"),
                ("11:00", "12:30"), ("13:00", "15:00")],
    "baby": [("09:30", "10:30"), ("10:00", "11:30"), ("10:30", "11:30"), ("13:30", "14:30"), ("09:30", "11:30")],
    "holiday": [("10:00", "14:00"), ("10:00", "13:00"), ("11:00", "15:00"), ("09:30", "13:30")],
    "online-evening": [("18:00", "19:00"), ("19:00", "20:00"), ("18:30", "19:30"), ("17:30", "18:30")],
    "daytime": [("10:00", "12:00"), ("13:00", "15:00"), ("11:00", "13:00")],
}
TERM_TIME_P = {"after-school": 0.75, "baby": 0.45, "evening": 0.25, "evening-early": 0.35,
               "fri-evening": 0.1, "weekend": 0.15, "online-evening": 0.3, "daytime": 0.2}

SCHOOL_YEAR = ("2026-09-07", "2027-07-16")
SPORT_SEASON = ("2026-08-29", "2027-05-29")


def weekly_rows(kind: str, tmpl: dict, used_days: set) -> list[dict]:
    rows = []
    if kind == "holiday":
        ndays = rng.choice([2, 3, 4])
        start, end = rng.choice(SLOTS["holiday"])
        days = sorted(rng.sample(WEEKDAYS[:4] if rng.random() < 0.6 else WEEKDAYS, ndays), key=DAYS.index)
        for day in days:
            rows.append({"day": day, "start": start, "end": end, "term": "school-holidays"})
        return rows
    if kind in ("sat", "sun"):
        day = {"sat": "saturday", "sun": "sunday"}[kind]
        slot_kind = "weekend"
    elif kind == "weekend":
        day = rng.choice(["saturday", "sunday"])
        slot_kind = "weekend"
    elif kind == "fri-evening":
        day = "friday"
        slot_kind = kind
    else:
        choices = [x for x in (WEEKDAYS if kind != "evening" else WEEKDAYS[:4] + ["friday"]) if x not in used_days]
        day = rng.choice(choices)
        slot_kind = kind
    used_days.add(day)
    start, end = rng.choice(SLOTS[slot_kind])
    row = {"day": day, "start": start, "end": end}
    term = tmpl.get("term")
    if term is None:
        term = "term-time" if rng.random() < TERM_TIME_P.get(slot_kind, 0.1) else "all-year"
    if term != "all-year":
        row["term"] = term
    if tmpl.get("fixed_valid"):
        row["valid_from"], row["valid_to"] = tmpl["fixed_valid"]
    elif tmpl.get("season") and rng.random() < 0.7:
        row["valid_from"], row["valid_to"] = SPORT_SEASON
    elif term == "term-time" and rng.random() < 0.3:
        row["valid_from"], row["valid_to"] = SCHOOL_YEAR
    elif tmpl.get("course"):
        start_d = rand_date(d("2026-10-26"), d("2026-12-07"))
        while DAYS[start_d.weekday()] != day:
            start_d += timedelta(days=1)
        row["valid_from"] = start_d.isoformat()
        row["valid_to"] = (start_d + timedelta(days=28)).isoformat()
    return [row]


def christmas_dates_on(day: str) -> list[str]:
    out = []
    x = d("2026-12-21")
    while x <= d("2027-01-03"):
        if DAYS[x.weekday()] == day:
            out.append(x.isoformat())
        x += timedelta(days=1)
    return out


BANK_HOLIDAYS = ["2026-12-25", "2026-12-28", "2027-01-01"]


def build_schedule(tmpl: dict) -> dict:
    weekly, dated, exceptions = [], [], []
    used_days: set[str] = set()
    for kind in tmpl["when"]:
        if kind == "event":
            pool = tmpl["dates"]
            n = tmpl.get("n_dates") or rng.randint(1, len(pool))
            picks = sorted(rng.sample(pool, min(n, len(pool))))
            dated += [{"date": a, "start": b, "end": c} for a, b, c in picks]
        elif kind in ("monthly-sun", "monthly-sat"):
            pool = MONTHLY_SUN if kind == "monthly-sun" else MONTHLY_SAT
            dated += [{"date": a, "start": b, "end": c} for a, b, c in pool]
        else:
            weekly += weekly_rows(kind, tmpl, used_days)
    # A second weekly session now and then, for the busier clubs.
    if weekly and tmpl["when"][0] in ("after-school", "evening", "evening-early", "baby") and rng.random() < 0.18:
        weekly += weekly_rows(tmpl["when"][0], tmpl, used_days)
    # Bank holidays and Christmas closures.
    for w in weekly:
        term = w.get("term", "all-year")
        if term == "all-year" and rng.random() < 0.35:
            cands = christmas_dates_on(w["day"])
            for x in rng.sample(cands, min(len(cands), rng.choice([1, 2]))):
                exceptions.append(x)
        elif term == "school-holidays":
            for x in BANK_HOLIDAYS:
                if DAYS[d(x).weekday()] == w["day"] and rng.random() < 0.8:
                    exceptions.append(x)
        elif term == "term-time" and w["day"] in WEEKDAYS and rng.random() < 0.08:
            # The hall is needed as a polling station or for school exams.
            x = d("2027-02-01") + timedelta(days=DAYS.index(w["day"]))
            exceptions.append(x.isoformat())
    # Only keep closures that fall inside a session's dates.
    def in_window(x: str) -> bool:
        return any(DAYS[d(x).weekday()] == w["day"] and w.get("valid_from", "0000") <= x <= w.get("valid_to", "9999")
                   for w in weekly)
    exceptions = [x for x in exceptions if in_window(x)]
    sched = {}
    if weekly:
        sched["weekly"] = weekly
    if dated:
        sched["dated"] = dated
    if exceptions:
        sched["exceptions"] = sorted(set(exceptions))
    return sched


def ends_on(sched: dict):
    if not sched.get("weekly") and not sched.get("dated"):
        return None
    last = date.min
    for w in sched.get("weekly", []):
        if "valid_to" not in w:
            return None
        last = max(last, d(w["valid_to"]))
    for x in sched.get("dated", []):
        last = max(last, d(x["date"]))
    return last


def has_ended(sched: dict) -> bool:
    e = ends_on(sched)
    return e is not None and e < TODAY


def starts_in_future(sched: dict) -> bool:
    """A weekly listing whose first session is in 2027 (one-off events are counted separately)."""
    firsts = []
    if not sched.get("weekly"):
        return False
    for w in sched.get("weekly", []):
        if "valid_from" not in w:
            return False
        firsts.append(d(w["valid_from"]))
    firsts += [d(x["date"]) for x in sched.get("dated", [])]
    return bool(firsts) and min(firsts) >= d("2027-01-01")


# ---------------------------------------------------------------------------------------------
# Providers
# ---------------------------------------------------------------------------------------------

_used_numbers: set[str] = set()


def fake_number(width: int) -> str:
    # Starts with 99: outside the ranges the Charity Commission and Companies House have issued.
    while True:
        n = "99" + "".join(str(rng.randint(0, 9)) for _ in range(width - 2))
        if n not in _used_numbers:
            _used_numbers.add(n)
            return n


def make_provider(arch: dict, area: str, name: str, district: str) -> dict:
    pid = slugify(name)
    town = DISTRICTS[district][1]
    domain = f"{pid}.{rng.choice(['example.org', 'example.org', 'example.com'])}"
    p = {"id": pid, "name": name,
         "description": arch["pdesc"].format(town=town, area=AREAS[area]["name"])}
    if rng.random() < 0.8:
        p["website"] = f"https://{domain}"
    if rng.random() < 0.92:
        p["email"] = f"{rng.choice(['hello', 'info', 'contact', 'team'])}@{domain}"
    if rng.random() < 0.75:
        p["phone"] = phone("london" if area == "newham" else "geo")
    legal = rng.choice(arch["legal"])
    if legal == "charity":
        p["charity_number"] = fake_number(7)
    elif legal in ("cic", "company"):
        p["company_number"] = fake_number(8)
    p["_domain"] = domain
    p["_area"] = area
    p["_district"] = district
    p["_lead"] = arch["lead"]
    return p


def number_word(n: int) -> str:
    return ["no", "one", "two", "three", "four", "five", "six"][n] if n <= 6 else str(n)


def assign_safeguarding(providers: list[dict]) -> None:
    n = len(providers)
    n_verified = round(n * 0.45)
    n_expired = round(n * 0.10)
    n_self = round(n * 0.25)
    statuses = (["verified"] * n_verified + ["expired"] * n_expired + ["self-declared"] * n_self)
    statuses += ["not-checked"] * (n - len(statuses))
    order = list(range(n))
    rng.shuffle(order)
    for i, idx in enumerate(order):
        p = providers[idx]
        status = statuses[i]
        area = AREAS[p["_area"]]
        sg: dict = {}
        if status in ("verified", "expired"):
            if status == "verified":
                checked = rand_date(d("2025-12-26"), d("2026-11-14"))
            else:
                checked = rand_date(d("2024-02-01"), d("2025-10-31"))
            reviewed = checked - timedelta(days=rng.randint(10, 300))
            insurance = date(checked.year + 1, rng.randint(1, 12), 1) - timedelta(days=1)
            if insurance <= checked:
                insurance = date(checked.year + 1, 12, 31)
            dbs = rng.randint(2, 14)
            aiders = rng.randint(1, 4)
            sg = {"policy": {"last_reviewed": reviewed.isoformat()},
                  "designated_lead_role": p["_lead"], "enhanced_dbs": True,
                  "insurance_expires": insurance.isoformat(), "first_aid": True}
            evidence = (f"Safeguarding policy reviewed {month_year(reviewed)}; enhanced DBS certificates for "
                        f"{dbs} staff and volunteers; public liability insurance schedule to "
                        f"{month_year(insurance)}; {number_word(aiders)} first-aider{'s' if aiders > 1 else ''}")
            if rng.random() < 0.4:
                evidence += f"; met the {p['_lead']}"
            evidence += "."
            ver = {"status": "verified", "checked_by": rng.choice(area["checkers"]),
                   "on_behalf_of": area["body"], "checked_on": checked.isoformat(), "evidence": evidence}
            if status == "expired" and rng.random() < 0.35:
                ver["expires_on"] = (checked + timedelta(days=182)).isoformat()
            elif status == "verified" and rng.random() < 0.15:
                ver["expires_on"] = (checked + timedelta(days=182)).isoformat()
                if d(ver["expires_on"]) < TODAY:
                    ver["expires_on"] = date(checked.year + 1, checked.month, 1).isoformat()
        elif status == "self-declared":
            declared = rand_date(d("2025-01-10"), d("2026-11-10"))
            if rng.random() < 0.85:
                sg["policy"] = {"last_reviewed": (declared - timedelta(days=rng.randint(0, 400))).isoformat()}
            sg["designated_lead_role"] = p["_lead"]
            sg["enhanced_dbs"] = rng.random() < 0.85
            if rng.random() < 0.8:
                sg["insurance_expires"] = rand_date(d("2026-06-30"), d("2027-12-31")).isoformat()
            sg["first_aid"] = rng.random() < 0.8
            ver = {"status": "self-declared", "declared_on": declared.isoformat()}
        else:
            if rng.random() < 0.4:
                sg["policy"] = {}
                if rng.random() < 0.5:
                    sg["policy"]["last_reviewed"] = rand_date(d("2023-01-01"), d("2026-06-30")).isoformat()
            if rng.random() < 0.4:
                sg["designated_lead_role"] = p["_lead"]
            sg["enhanced_dbs"] = rng.random() < 0.5
            sg["first_aid"] = rng.random() < 0.5
            ver = {"status": "not-checked"}
        p["safeguarding"] = sg
        p["verification"] = ver


# ---------------------------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------------------------

_title_use: Counter = Counter()


def pick_title(tmpl: dict) -> str:
    best = min(_title_use[t] for t in tmpl["titles"])
    options = [t for t in tmpl["titles"] if _title_use[t] == best]
    t = rng.choice(options)
    _title_use[t] += 1
    return t


def make_cost(spec) -> dict:
    if spec == "either":
        spec = "free" if rng.random() < 0.35 else ("paid", 100, 300)
    if spec == "free":
        return {"free": True}
    _, lo, hi = spec
    return {"free": False, "price_pence": rng.randrange(lo, hi + 1, 50)}


CONCESSIONS = ["£1 with a Max Card", "Half price for brothers and sisters", "Free for children on free school meals",
               "Pay what you can - nobody is turned away", "£1 for young carers", "First session free",
               "Free for children in care and care leavers", "Discount for families on Universal Credit"]


def make_activity(p: dict, tmpl: dict, venues: list[dict]) -> dict:
    area = p["_area"]
    title = pick_title(tmpl)
    aid = f"{p['id']}-{tmpl['slug']}"
    desc = tmpl["desc"]
    cost = make_cost(tmpl.get("cost", "free"))
    if not cost["free"]:
        if rng.random() < tmpl.get("concession", 0.35):
            options = [c for c in CONCESSIONS if cost["price_pence"] > 200 or not c.startswith("£1")]
            cost["concessions"] = rng.choice(options)
        if rng.random() < tmpl.get("bursary", 0.25):
            cost["bursary"] = True
    online = bool(tmpl.get("online"))
    if online:
        act_venues = []
    else:
        act_venues = [rng.choice(venues)]
        if len(venues) > 1 and rng.random() < 0.07:
            act_venues = venues[:2]
    langs = list(tmpl.get("langs", []))
    for _ in range(tmpl.get("extra_langs", 0)):
        langs.append(rng.choice(AREA_LANGUAGES[area]))
    if p.get("_langs") and rng.random() < 0.7:
        langs.append(rng.choice(p["_langs"]))
    if rng.random() < 0.12:
        extra = [x for x in AREA_LANGUAGES[area] if x != "Cornish"]
        langs.append(rng.choice(extra))
    langs = sorted(set(langs), key=langs.index)
    access = {"wheelchair": (not online) and rng.random() < tmpl.get("wheel", 0.55),
              "send_friendly": rng.random() < tmpl.get("send", 0.25),
              "quiet_sessions": rng.random() < tmpl.get("quiet", 0.12)}
    if langs:
        access["languages"] = langs
    methods = list(tmpl.get("join", ["drop-in"]))
    first = rng.choice(FIRST_NAMES[area])
    role = tmpl.get("contact", "Organiser")
    contact = {}
    if rng.random() < 0.8:
        contact["name"] = f"{role} {first}" if role in ("Coach", "Instructor", "Cox") else f"{first} ({role.lower()})"
    r = rng.random()
    if r < 0.45:
        contact["email"] = f"{first.lower()}@{p['_domain']}"
    elif r < 0.8:
        contact["email"] = f"{rng.choice(['bookings', 'hello', 'info', 'join'])}@{p['_domain']}"
    if rng.random() < 0.55:
        contact["phone"] = p.get("phone") or phone("mobile")
        if rng.random() < 0.3:
            contact["phone"] = phone("mobile")
    if online or "booking" in methods or rng.random() < 0.25:
        contact["url"] = f"https://{p['_domain']}/{'join' if online else tmpl['slug']}"
    if not contact:
        contact["email"] = f"hello@{p['_domain']}"
    join = {"methods": methods, "contact": contact}
    notes = tmpl.get("notes")
    if not notes and online:
        notes = "We'll email you the link after you sign up. A parent or carer must fill in the form for under-13s."
    if not notes and "professional-referral" in methods:
        notes = "Ask your school, GP, social worker or youth worker to send us a referral. You can also call us for a chat first."
    if notes:
        join["notes"] = notes
    # Who a newcomer may come with. Drawn from its own generator, seeded by the listing id,
    # so adding it left every other value in the file as it was.
    nrng = random.Random(f"{SEED}-newcomers-{aid}")
    youthwork = set(tmpl["cats"]) & {"youth-club", "peer-support", "lgbtq", "young-carers", "wellbeing"}
    youngest = min(int(r.split("-")[0].rstrip("m")) if not r.split("-")[0].endswith("m") else 0
                   for r in tmpl["ages"])
    newcomers = []
    if nrng.random() < (0.6 if youthwork else 0.3) and youngest >= 8:
        newcomers.append("alone")
    if nrng.random() < 0.4:
        newcomers.append("friend")
    if nrng.random() < (0.7 if youngest < 11 else 0.2):
        newcomers.append("parent")
    if newcomers:
        join["newcomers"] = newcomers
    a = {"id": aid, "provider_id": p["id"], "title": title, "description": desc, "categories": list(tmpl["cats"]),
         "ages": rng.choice(tmpl["ages"]), "gender": tmpl.get("gender", "mixed"), "cost": cost,
         "schedule": build_schedule(tmpl), "venues": act_venues, "online": online, "access": access,
         "join": join, "_area": area, "_tmpl": tmpl}
    return a


def stamp_dates(a: dict, lo: date, hi: date, confirm_p: float = 0.94) -> None:
    u = rand_date(lo, hi)
    t = datetime(u.year, u.month, u.day, rng.randint(8, 18), rng.choice([0, 15, 30, 45]), 0)
    a["last_updated"] = t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if rng.random() < confirm_p:
        c = u + timedelta(days=rng.randint(0, 75))
        if u.year == 2025 and rng.random() < 0.7:
            c = min(c, date(2025, 12, 31))
        a["last_confirmed"] = min(c, TODAY - timedelta(days=1)).isoformat()
    else:
        a.pop("last_confirmed", None)


# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------


def build():
    providers, activities = [], []
    for arch in ARCHETYPES:
        by_slug = {t["slug"]: t for t in arch["acts"]}
        for area, name, district, extra in arch["providers"]:
            p = make_provider(arch, area, name, district)
            p["_langs"] = arch.get("langs") and [x for x in arch["langs"] if x in AREA_LANGUAGES[area] or x == "Arabic"]
            # Venues: the provider's own, or one or two community venues nearby.
            if extra and isinstance(extra[0], tuple):
                venues = [venue(district, n, s) for n, s in extra]
                templates = arch["acts"]
            else:
                pool = VENUE_POOL[district]
                venues = [venue(district, n, s) for n, s in rng.sample(pool, 2 if rng.random() < 0.45 else 1)]
                templates = [by_slug[s] for s in extra] if extra else arch["acts"]
            if rng.random() < 0.15:
                nd = nearby_district(district)
                n, s = rng.choice(VENUE_POOL[nd])
                venues.append(venue(nd, n, s))
            # Which activities this provider runs.
            if extra and not isinstance(extra[0], tuple):
                chosen = templates
            else:
                templates = [t for t in templates if not t.get("only")]
                req = [t for t in templates if t.get("req")]
                rest = [t for t in templates if not t.get("req")]
                k = max(arch.get("kmin", 2), rng.choice([2, 3, 3, 3, 4]))
                k = min(k, len(templates))
                chosen = req + rng.sample(rest, max(0, k - len(req)))
                chosen.sort(key=templates.index)
            providers.append(p)
            for t in chosen:
                activities.append(make_activity(p, t, venues))
    return providers, activities


SPECIALS = [("2026-12-18", "17:00", "19:30", "a Christmas party"),
            ("2026-12-19", "11:00", "13:00", "a festive get-together"),
            ("2027-01-09", "10:00", "13:00", "a New Year open day for new members"),
            ("2027-02-16", "10:00", "15:00", "a half-term special day"),
            ("2027-03-27", "11:00", "14:00", "an Easter holiday fun day")]


def post_process(providers, activities):
    # Dates people last touched each listing.
    for a in activities:
        if rng.random() < 0.2:
            stamp_dates(a, d("2025-02-01"), d("2025-12-20"))
        else:
            stamp_dates(a, d("2026-01-05"), d("2026-11-19"))
        # Event listings were written shortly before the event season.
        if a["schedule"].get("dated") and not a["schedule"].get("weekly"):
            stamp_dates(a, d("2026-09-15"), d("2026-11-19"))

    weekly_acts = [a for a in activities
                   if a["schedule"].get("weekly") and not a["online"]
                   and not any(w.get("term") == "school-holidays" for w in a["schedule"]["weekly"])]
    rng.shuffle(weekly_acts)

    # About 8 listings whose sessions have all ended (hidden from search by the "ended" rule).
    already_ended = sum(1 for a in activities if has_ended(a["schedule"]))
    ended_ends = ["2025-03-28", "2025-07-18", "2025-10-17", "2025-12-12", "2026-02-13", "2026-03-27",
                  "2025-06-27", "2026-01-30", "2025-05-23"]
    chosen_ended = [a for a in weekly_acts if not a["schedule"].get("dated")][: max(0, 8 - already_ended)]
    for a, end in zip(chosen_ended, ended_ends):
        end_d = d(end)
        for w in a["schedule"]["weekly"]:
            w["valid_from"] = (end_d - timedelta(weeks=rng.choice([10, 12, 26, 36]))).isoformat()
            w["valid_to"] = end
        a["schedule"].pop("dated", None)
        a["schedule"].pop("exceptions", None)
        stamp_dates(a, max(d("2025-01-06"), end_d - timedelta(days=200)), end_d - timedelta(days=20),
                    confirm_p=0.7)
        a["_ended"] = True

    # About 5 that start in 2027.
    already_future = sum(1 for a in activities if starts_in_future(a["schedule"]))
    candidates = [a for a in weekly_acts if not a.get("_ended")]
    starts = ["2027-01-05", "2027-01-11", "2027-02-22", "2027-03-01", "2027-04-19", "2027-01-18"]
    for a, s in zip(candidates[: max(0, 5 - already_future)], starts):
        first = None
        for w in a["schedule"]["weekly"]:
            x = d(s)
            while DAYS[x.weekday()] != w["day"]:
                x += timedelta(days=1)
            w["valid_from"] = x.isoformat()
            if "valid_to" in w and d(w["valid_to"]) < x:
                w["valid_to"] = SCHOOL_YEAR[1]
            first = x if first is None or x < first else first
        a["schedule"].pop("dated", None)
        a["schedule"].pop("exceptions", None)
        a["description"] += f" New for 2027: the first session is on {long_date(first)}."
        stamp_dates(a, d("2026-09-01"), d("2026-11-19"), confirm_p=1.0)
        a["_future"] = True

    # Some weekly listings also have a one-off special date.
    others = [a for a in candidates if not a.get("_future")]
    for a in others[5:5 + 16]:
        when, start, end, label = rng.choice(SPECIALS)
        a["schedule"].setdefault("dated", []).append({"date": when, "start": start, "end": end})
        a["description"] += f" There is also {label} on {long_date(d(when))}."


def finish(providers, activities):
    out_p, out_a = [], []
    for p in providers:
        out_p.append({k: v for k, v in p.items() if not k.startswith("_")})
    for a in activities:
        clean = {k: v for k, v in a.items() if not k.startswith("_")}
        # Keep the field order readable.
        order = ["id", "provider_id", "title", "description", "categories", "ages", "gender", "cost",
                 "schedule", "venues", "online", "access", "join", "last_updated", "last_confirmed"]
        out_a.append({k: clean[k] for k in order if k in clean})
    postcodes = []
    for code, (area, town, lat, lon, *_rest) in DISTRICTS.items():
        postcodes.append({"postcode": code, "lat": lat, "lon": lon, "town": town})
    places = []
    for area_key, area in AREAS.items():
        pts = [(v[2], v[3]) for v in DISTRICTS.values() if v[0] == area_key]
        # Areas bigger than a town carry their own default search radius: the usual 5 km
        # around the middle of Cornwall finds almost nothing.
        radius = {"Hull": 8, "Newham": 6, "Cornwall": 60}.get(area["name"])
        place = {"name": area["name"], "lat": round(sum(x for x, _ in pts) / len(pts), 4),
                 "lon": round(sum(y for _, y in pts) / len(pts), 4)}
        if radius:
            place["radius_km"] = radius
        places.append(place)
    return {
        "format": "signpost-directory",
        "version": 1,
        "sample": True,
        "note": "FICTIONAL SAMPLE DATA generated by seed-data/generate.py. The places and postcode districts "
                "are real; every organisation, person, email address, phone number, charity number and company "
                "number is invented. Emails use example.org/example.com and phone numbers come from Ofcom's "
                "drama ranges. Do not contact anyone listed here.",
        "postcodes": postcodes,
        "places": places,
        "providers": out_p,
        "activities": out_a,
    }


# ---------------------------------------------------------------------------------------------
# Self-check: the importer's rules, then the coverage targets for the sample
# ---------------------------------------------------------------------------------------------

ID_RE = re.compile(r"^[a-z0-9-]{1,80}$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
OUTWARD_RE = r"[A-Z]{1,2}[0-9][0-9A-Z]?"
POSTCODE_RE = re.compile(rf"^{OUTWARD_RE}( [0-9][A-Z]{{2}})?$")
PHONE_RES = [re.compile(r"^01632 960\d{3}$"), re.compile(r"^020 7946 0\d{3}$"), re.compile(r"^07700 900\d{3}$")]
EMAIL_RE = re.compile(r"^[a-z0-9.\-]+@[a-z0-9\-]+\.example\.(org|com)$")


def parse_age(s: str) -> tuple[int, int]:
    """Mirror of the Rust AgeRange parser: returns (min_months, max_months)."""
    a, b = s.split("-", 1)

    def bound(x: str, upper: bool) -> int:
        if x.endswith("m"):
            m = int(x[:-1])
            assert 0 <= m <= 24, f"months only for under-twos: {s}"
            return m
        y = int(x)
        assert 0 <= y <= 120, s
        return y * 12 + (11 if upper else 0)

    lo, hi = bound(a, False), bound(b, True)
    assert lo <= hi, f"inverted ages {s}"
    return lo, hi


def verification_status(v: dict) -> str:
    if v["status"] != "verified":
        return v["status"]
    checked = d(v["checked_on"])
    if "expires_on" in v:
        exp = d(v["expires_on"])
        assert exp >= checked, v
    else:
        try:
            exp = checked.replace(year=checked.year + 1)
        except ValueError:  # 29 February
            exp = checked.replace(year=checked.year + 1, day=28)
    return "expired" if exp < TODAY else "verified"


def self_check(doc: dict) -> None:
    assert doc["format"] == "signpost-directory" and doc["version"] == 1
    providers, activities = doc["providers"], doc["activities"]
    district_of = {}
    for pc in doc["postcodes"]:
        assert POSTCODE_RE.match(pc["postcode"]) and " " not in pc["postcode"]
        assert 49.8 < pc["lat"] < 60.9 and -8.7 < pc["lon"] < 1.8
        district_of[pc["postcode"]] = pc
    assert {p["name"] for p in doc["places"]} == {"Hull", "Newham", "Cornwall"}

    # Providers
    pids = [p["id"] for p in providers]
    assert len(pids) == len(set(pids)), "duplicate provider ids"
    area_of_provider = {}
    statuses = Counter()
    for p in providers:
        assert ID_RE.match(p["id"]), p["id"]
        assert p["name"].strip()
        if "email" in p:
            assert EMAIL_RE.match(p["email"]), p["email"]
        if "website" in p:
            assert re.match(r"^https://[a-z0-9\-]+\.example\.(org|com)$", p["website"]), p["website"]
        if "phone" in p:
            assert any(r.match(p["phone"]) for r in PHONE_RES), p["phone"]
        for k in ("charity_number", "company_number"):
            if k in p:
                assert p[k].startswith("99")
        sg = p["safeguarding"]
        assert set(sg) <= {"policy", "designated_lead_role", "enhanced_dbs", "insurance_expires", "first_aid"}
        v = p["verification"]
        assert v["status"] in ("not-checked", "self-declared", "verified"), v
        allowed = {"not-checked": {"status"}, "self-declared": {"status", "declared_on"},
                   "verified": {"status", "checked_by", "on_behalf_of", "checked_on", "evidence", "expires_on"}}
        assert set(v) <= allowed[v["status"]], v
        st = verification_status(v)
        statuses[st] += 1
        if st == "verified":
            assert d("2025-12-25") <= d(v["checked_on"]) <= d("2026-11-15"), v
    n = len(providers)

    # Activities
    aids = [a["id"] for a in activities]
    assert len(aids) == len(set(aids)), "duplicate activity ids"
    pid_set = set(pids)
    cat_live, area_counts, gender = Counter(), Counter(), Counter()
    term_rows, hol_rows, term_acts, hol_acts = 0, 0, 0, 0
    ended = future = online = free = dated_acts = exc_acts = valid_acts = 0
    exc_dates = set()
    ages_seen = set()
    months_ranges = 0
    langs = Counter()
    join_methods = Counter()
    access = Counter()
    confirmed_missing = 0
    confirmed_2025 = 0
    district_area = {}
    for a in activities:
        assert ID_RE.match(a["id"]), a["id"]
        assert a["provider_id"] in pid_set, a["provider_id"]
        assert a["title"].strip() and len(a["title"]) <= 200
        assert 1 <= len(a["categories"]) <= 3 and len(set(a["categories"])) == len(a["categories"])
        assert all(c in CATEGORIES for c in a["categories"]), a["categories"]
        lo, hi = parse_age(a["ages"])
        ages_seen.add(a["ages"])
        if "m" in a["ages"]:
            months_ranges += 1
        assert a["gender"] in ("mixed", "girls", "boys")
        gender[a["gender"]] += 1
        c = a["cost"]
        assert set(c) <= {"free", "price_pence", "concessions", "bursary"}
        if c["free"]:
            assert "price_pence" not in c
            free += 1
        else:
            assert 100 <= c["price_pence"] <= 800
        s = a["schedule"]
        assert set(s) <= {"weekly", "dated", "exceptions"} and all(s[k] for k in s)
        assert s.get("weekly") or s.get("dated")
        for w in s.get("weekly", []):
            assert set(w) <= {"day", "start", "end", "term", "valid_from", "valid_to"}
            assert w["day"] in DAYS and TIME_RE.match(w["start"]) and TIME_RE.match(w["end"])
            assert w["start"] != w["end"]
            assert w.get("term", "all-year") in ("all-year", "term-time", "school-holidays")
            if "valid_from" in w and "valid_to" in w:
                assert w["valid_from"] <= w["valid_to"]
            term_rows += w.get("term") == "term-time"
            hol_rows += w.get("term") == "school-holidays"
        for x in s.get("dated", []):
            assert set(x) == {"date", "start", "end"} and x["start"] != x["end"]
            assert TIME_RE.match(x["start"]) and TIME_RE.match(x["end"])
            d(x["date"])
        for x in s.get("exceptions", []):
            exc_dates.add(d(x).isoformat())
        term_acts += any(w.get("term") == "term-time" for w in s.get("weekly", []))
        hol_acts += any(w.get("term") == "school-holidays" for w in s.get("weekly", []))
        valid_acts += any("valid_from" in w or "valid_to" in w for w in s.get("weekly", []))
        dated_acts += any(d("2026-12-01") <= d(x["date"]) <= d("2027-03-31") for x in s.get("dated", []))
        exc_acts += bool(s.get("exceptions"))
        is_ended = has_ended(s)
        ended += is_ended
        future += starts_in_future(s)
        if a["online"]:
            online += 1
            assert not a["venues"]
        else:
            assert a["venues"], a["id"]
        for v in a["venues"]:
            assert set(v) == {"name", "address", "postcode", "lat", "lon"}
            assert POSTCODE_RE.match(v["postcode"]), v["postcode"]
            dist = v["postcode"].split(" ")[0]
            centre = district_of[dist]
            km = haversine_km((centre["lat"], centre["lon"]), (v["lat"], v["lon"]))
            assert km < 1.5, (v, km)
            district_area[dist] = DISTRICTS[dist][0]
        acc = a["access"]
        for k in ("wheelchair", "send_friendly", "quiet_sessions"):
            access[k] += acc[k]
        for lang in acc.get("languages", []):
            langs[lang] += 1
        j = a["join"]
        assert j["methods"] and all(m in ("drop-in", "self-referral", "professional-referral", "booking")
                                    for m in j["methods"])
        for m in j["methods"]:
            join_methods[m] += 1
        assert set(j.get("newcomers", [])) <= {"alone", "friend", "parent"}
        ct = j["contact"]
        assert set(ct) <= {"name", "email", "phone", "url"} and ct
        if "email" in ct:
            assert EMAIL_RE.match(ct["email"]), ct["email"]
        if "phone" in ct:
            assert any(r.match(ct["phone"]) for r in PHONE_RES), ct["phone"]
        lu = datetime.strptime(a["last_updated"], "%Y-%m-%dT%H:%M:%SZ")
        assert datetime(2025, 1, 1) <= lu < datetime(2026, 11, 21)
        if "last_confirmed" in a:
            lc = d(a["last_confirmed"])
            assert lc < TODAY
            confirmed_2025 += lc.year == 2025
        else:
            confirmed_missing += 1
        area = next(p for p in providers if p["id"] == a["provider_id"])
        area_counts[DISTRICTS[_provider_district[area["id"]]][0]] += 1
        if not is_ended:
            for cat in a["categories"]:
                cat_live[cat] += 1

    # Coverage targets
    assert n >= 110, n
    assert len(activities) >= 330, len(activities)
    for cat in CATEGORIES:
        assert cat_live[cat] >= 8, (cat, cat_live[cat])
    assert gender["girls"] >= 15 and gender["boys"] >= 10, gender
    assert term_rows >= 20 and term_acts >= 20, (term_rows, term_acts)
    assert hol_rows >= 15 and hol_acts >= 15, (hol_rows, hol_acts)
    assert 6 <= ended <= 10, ended
    assert 4 <= future <= 7, future
    assert 8 <= online <= 14, online
    assert 0.4 <= free / len(activities) <= 0.6, free / len(activities)
    assert dated_acts >= 10 and exc_acts >= 10 and valid_acts >= 10
    assert {"2026-12-26", "2027-01-01"} <= exc_dates, sorted(exc_dates)
    assert months_ranges >= 5
    assert any(x in ages_seen for x in ("11-16",)) and any(x in ages_seen for x in ("13-18",))
    assert any(x.startswith("16-") or x.endswith("-25") for x in ages_seen)
    assert abs(statuses["verified"] - 0.45 * n) <= 3 and abs(statuses["expired"] - 0.10 * n) <= 3
    assert abs(statuses["self-declared"] - 0.25 * n) <= 3 and abs(statuses["not-checked"] - 0.20 * n) <= 3
    assert set(district_area) == set(DISTRICTS), set(DISTRICTS) - set(district_area)

    size = OUT.stat().st_size
    assert size < 1_500_000, size

    print(f"Wrote {OUT} ({size / 1024:.0f} KB)")
    print(f"providers: {n}   activities: {len(activities)}   venues: {len(_venues)}")
    print("providers by area: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(
        DISTRICTS[_provider_district[p['id']]][0] for p in providers).items())))
    print("activities by area: " + ", ".join(f"{k} {v}" for k, v in sorted(area_counts.items())))
    print("verification (as of 2026-11-21): " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()))
    print("categories (live listings): " + ", ".join(f"{c} {cat_live[c]}" for c in CATEGORIES))
    print(f"gender: {dict(gender)}")
    print(f"free: {free} ({free / len(activities):.0%})   online: {online}   ended: {ended}   "
          f"starting in 2027: {future}")
    print(f"weekly rows term-time: {term_rows} ({term_acts} listings)   school-holidays: {hol_rows} "
          f"({hol_acts} listings)")
    print(f"listings with dated sessions Dec 2026-Mar 2027: {dated_acts}   with exceptions: {exc_acts}   "
          f"with valid_from/valid_to: {valid_acts}")
    print(f"age ranges in months: {months_ranges}   last_confirmed missing: {confirmed_missing}, "
          f"in 2025: {confirmed_2025}")
    print("access: " + ", ".join(f"{k} {v}" for k, v in access.items()) + "   languages: " +
          ", ".join(f"{k} {v}" for k, v in langs.most_common()))
    print("join methods: " + ", ".join(f"{k} {v}" for k, v in join_methods.most_common()))


_provider_district: dict[str, str] = {}


def main() -> int:
    providers, activities = build()
    for p in providers:
        _provider_district[p["id"]] = p["_district"]
    assign_safeguarding(providers)
    post_process(providers, activities)
    doc = finish(providers, activities)
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    OUT.write_text(text, encoding="utf-8")
    self_check(doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
